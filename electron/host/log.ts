/*
 * One log line per event on stderr, so stdout stays free for the ready line
 * that scripts and the e2e harness wait for ("console at http://…").
 */

export type LogLevel = "info" | "warn" | "error";
export type Log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

export function createLog(write: (line: string) => void = (line) => process.stderr.write(line), now: () => Date = () => new Date()): Log {
  return (level, message, fields) => {
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
    write(`${now().toISOString()} ${level} ${message}${extra}\n`);
  };
}
