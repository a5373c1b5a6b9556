import { parseArgs, USAGE, UsageError } from "./args.js";
import { createFeedServer } from "./server.js";

/*
 * `npm run feed -- --port <p> --token <t> ...`: the reference feed server.
 * Prints exactly one line when ready; SIGTERM or SIGINT saves and exits 0.
 */

async function main(): Promise<void> {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (options.trainerToken === undefined) {
    process.stderr.write("warning: no --trainer-token: /trainer takes the console token, so any console can script the feed\n");
  }
  const server = await createFeedServer(options);
  process.stdout.write(`feed listening on ${server.url}\n`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`feed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
