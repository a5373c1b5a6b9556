import { gcj02, gcj02ToWgs84, wgs84, wgs84ToGcj02 } from "../../shared/geo/coords.js";
import type { Alert, Command, CommandResult, FeedEvent, Fix, Incident, Unit } from "../../shared/protocol/types.js";

/*
 * A platform that speaks GCJ-02 (China's offset system, as AMap and Tencent
 * use) is converted once, where its data enters the engine, into the grid
 * layer's WGS84: the cache, the grid lookup, coverage, nearest staff, the
 * patrol checks and the views all work in one space. Offsets reach some
 * 500 m in Beijing: without this, no grid centre stayed in its own grid. A
 * place the console sends back (a phone-in report's point) is converted to
 * the platform's space on its way out.
 */

/** A tenth of a millimetre in three or four steps of the inverse: exact enough to place a fix in its grid. */
const TOLERANCE_DEG = 1e-9;
const MAX_STEPS = 8;

export type FeedSpace = {
  incident(incident: Incident): Incident;
  unit(unit: Unit): Unit;
  alert(alert: Alert): Alert;
  events(events: FeedEvent[]): FeedEvent[];
  fixes(fixes: Fix[]): Fix[];
  commandOut(command: Command): Command;
  resultIn(result: CommandResult): CommandResult;
};

function toGrid(lon: number, lat: number): [number, number] {
  const [x, y] = gcj02ToWgs84(gcj02(lon, lat), TOLERANCE_DEG, MAX_STEPS);
  return [x, y];
}

const GCJ02: FeedSpace = {
  incident(incident) {
    const [lon, lat] = toGrid(incident.lon, incident.lat);
    return { ...incident, lon, lat };
  },
  unit(unit) {
    if (!unit.lastFix) return unit;
    const [lon, lat] = toGrid(unit.lastFix.lon, unit.lastFix.lat);
    return { ...unit, lastFix: { ...unit.lastFix, lon, lat } };
  },
  alert(alert) {
    if (alert.lon === undefined || alert.lat === undefined) return alert;
    const [lon, lat] = toGrid(alert.lon, alert.lat);
    return { ...alert, lon, lat };
  },
  events(events) {
    return events.map((event): FeedEvent => {
      switch (event.type) {
        case "incident.upsert":
          return { ...event, incident: GCJ02.incident(event.incident) };
        case "unit.upsert":
          return { ...event, unit: GCJ02.unit(event.unit) };
        case "alert":
          return { ...event, alert: GCJ02.alert(event.alert) };
        case "incident.archived":
          return event;
      }
    });
  },
  fixes(fixes) {
    return fixes.map((fix): Fix => {
      const [lon, lat] = toGrid(fix[1], fix[2]);
      return [fix[0], lon, lat, fix[3], fix[4], fix[5], fix[6]];
    });
  },
  commandOut(command) {
    if (command.type !== "report") return command;
    const [lon, lat] = wgs84ToGcj02(wgs84(command.payload.lon, command.payload.lat));
    return { ...command, payload: { ...command.payload, lon, lat } };
  },
  resultIn(result) {
    if (result.incident === undefined) return result;
    return { ...result, incident: GCJ02.incident(result.incident) } as CommandResult;
  },
};

const SAME: FeedSpace = {
  incident: (incident) => incident,
  unit: (unit) => unit,
  alert: (alert) => alert,
  events: (events) => events,
  fixes: (fixes) => fixes,
  commandOut: (command) => command,
  resultIn: (result) => result,
};

export function feedSpace(space: "wgs84" | "gcj02" | undefined): FeedSpace {
  return space === "gcj02" ? GCJ02 : SAME;
}
