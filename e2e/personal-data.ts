import { io } from "socket.io-client";
import type { Feed } from "./harness.js";

/*
 * The personal data the reference feed really sends (reporters' names and
 * phones, staff phones), read from the feed itself, so a test knows what must
 * never show on a briefing or in an exported PDF.
 */

/** `staff`: the staff names, which a view may show (the briefing only masked). */
export type Personal = { names: Set<string>; phones: Set<string>; staff: Set<string> };

/** The personal data the platform really sent, read from the feed itself, so the test knows what must not show. */
export async function personalDataFromFeed(feed: Feed): Promise<Personal> {
  const socket = io(`${feed.url}/console`, { auth: { token: feed.token, consoleId: "e2e-privacy-probe", protocol: 1 }, transports: ["websocket"] });
  try {
    return await new Promise<Personal>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no snapshot from the feed")), 60_000);
      const personal: Personal = { names: new Set(), phones: new Set(), staff: new Set() };
      const unitNames = new Set<string>();
      const seen = new Set<number>();
      socket.on("hello", () => socket.emit("subscribe", {}, () => undefined));
      socket.on("snapshot", (snapshot: { part: number; parts: number; incidents: { reporter?: { name?: string; phone?: string } }[]; units: { name: string; phone?: string }[] }) => {
        for (const incident of snapshot.incidents) {
          if (incident.reporter?.name) personal.names.add(incident.reporter.name);
          if (incident.reporter?.phone) personal.phones.add(incident.reporter.phone);
        }
        for (const unit of snapshot.units) {
          unitNames.add(unit.name);
          if (unit.phone) personal.phones.add(unit.phone);
        }
        seen.add(snapshot.part);
        if (seen.size === snapshot.parts) {
          clearTimeout(timer);
          // Staff names may be shown (the brief allows unit names); a reporter who is staff shares that name.
          for (const name of unitNames) personal.names.delete(name);
          personal.staff = unitNames;
          resolve(personal);
        }
      });
    });
  } finally {
    socket.close();
  }
}
