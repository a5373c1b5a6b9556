import type { AttentionChanges, AttentionItem } from "../../shared/bridge/attention.js";
import { caseAttention, isWorse, LEVEL_RANK, type AttentionCaseInput } from "../../shared/domain/attention.js";
import { nextOverdueChange, type CategoryIndex } from "../../shared/domain/deadlines.js";
import { toBeijingIso, toEpochMs } from "../../shared/domain/time.js";
import type { AlertLevel, Incident, Operator } from "../../shared/protocol/types.js";
import type { AcknowledgementEnd, CacheOp, StoredAcknowledgement, StoredAlert } from "./model.js";
import { milestones } from "./bridge-objects.js";

/*
 * The attention list, kept by the engine so every page shows the same one and
 * a restart keeps it: every open urgent case, every overdue case, and the
 * feed's alerts, each with its acknowledgement. Kept up to date from the
 * replica's dirty sets (the cases a tick changed) and a sweep once a minute,
 * since time alone makes a case overdue. Nothing here writes: changes to the
 * acknowledgements come back as cache ops for the engine to keep.
 */

/** What the list reads of the replica. */
export type AttentionSource = { readonly incidents: ReadonlyMap<string, Incident>; readonly alerts: readonly StoredAlert[] };

/** An acknowledged feed alert stays on the list (dimmed) this long, then leaves; a case stays until it is resolved. */
export const ACKNOWLEDGED_ALERT_LINGER_MS = 3_600_000;

const caseKey = (incidentId: string) => `case:${incidentId}`;
const alertKey = (alertId: string) => `alert:${alertId}`;

export class AttentionList {
  private readonly items = new Map<string, AttentionItem>();
  private readonly acks = new Map<string, StoredAcknowledgement>();
  /** Alerts about a case, by case id: folded into that case's item while the case is on the list. */
  private alertsByCase = new Map<string, StoredAlert[]>();
  private readonly inputs = new WeakMap<Incident, AttentionCaseInput>();
  /**
   * Until when a case record's item is known to be current (the next instant a
   * deadline of it passes), so the minute's sweep skips the 100,000 cases of a
   * city whose state cannot have changed: records are replaced, never edited.
   */
  private readonly currentUntil = new WeakMap<Incident, number>();
  private changed = new Set<string>();
  private removed = new Set<string>();
  private ops: CacheOp[] = [];

  /**
   * `wallNow` is this console's clock: acknowledgements are stamped with it (the audit's time, and the handover's
   * shift is bounded by it), so an acknowledged alert's linger is measured on it, not on the case clock the list
   * is judged on (a platform an hour ahead would end the linger at once).
   */
  constructor(
    private readonly source: AttentionSource,
    private readonly categories: CategoryIndex,
    private readonly wallNow: () => number = Date.now,
  ) {}

  /** The acknowledgements kept in the cache, then every item worked out afresh. */
  load(acknowledgements: readonly StoredAcknowledgement[], now: number): void {
    for (const ack of acknowledgements) this.acks.set(ack.key, ack);
    this.refreshAll(now);
    // Acknowledgements of items no longer on the list (resolved while the console was off) end now.
    for (const key of [...this.acks.keys()]) if (!this.items.has(key)) this.endAck(key, "resolved", now);
  }

  list(): AttentionItem[] {
    return [...this.items.values()];
  }

  /** The items, uncopied. */
  values(): IterableIterator<AttentionItem> {
    return this.items.values();
  }

  /** What changed since the last call, for views; null when nothing did. */
  takeChanges(): AttentionChanges | null {
    if (this.changed.size === 0 && this.removed.size === 0) return null;
    const upserts: AttentionItem[] = [];
    for (const key of this.changed) {
      const item = this.items.get(key);
      if (item) upserts.push(item);
    }
    const changes = { upserts, removed: [...this.removed], reset: false };
    this.changed = new Set();
    this.removed = new Set();
    return changes;
  }

  /** Cache ops for acknowledgements that ended (an item got worse or left the list), to be journaled. */
  takeOps(): CacheOp[] {
    const ops = this.ops;
    this.ops = [];
    return ops;
  }

  /** After a tick: the cases it changed (ids; all when `everything`), and the alerts when they changed. */
  update(caseIds: Iterable<string>, everything: boolean, alertsChanged: boolean, now: number): void {
    if (alertsChanged) this.refreshAlerts(now);
    if (everything) {
      this.refreshAll(now);
      return;
    }
    for (const id of caseIds) this.refreshCase(id, now);
  }

  /** Once a minute: deadlines pass with no change to the case, and acknowledged alerts leave after a while. */
  sweep(now: number): void {
    this.refreshAlerts(now);
    for (const [id, incident] of this.source.incidents) {
      const until = this.currentUntil.get(incident);
      if (until === undefined || now >= until) this.refreshCase(id, now);
    }
  }

  /**
   * Acknowledges an item as `operator`: the condition it is in now is what a
   * later change is measured against. `keep` writes the ops durably and
   * throws if it cannot (then nothing is acknowledged). False when there is
   * no such item or it is already acknowledged.
   */
  acknowledge(key: string, operator: Operator, now: number, acknowledgeAlert: (id: string) => CacheOp | null, keep: (ops: CacheOp[]) => void = () => undefined): boolean {
    const item = this.items.get(key);
    if (!item || item.acknowledged) return false;
    const ack: StoredAcknowledgement = { key, level: item.level, reasons: [...item.reasons], operator, at: toBeijingIso(now) };
    const ops: CacheOp[] = [{ op: "ack", ack }];
    for (const id of item.alertIds) {
      const op = acknowledgeAlert(id);
      if (op) ops.push(op);
    }
    keep(ops);
    this.acks.set(key, ack);
    this.put({ ...item, acknowledged: { by: operator, at: ack.at } });
    return true;
  }

  private refreshAll(now: number): void {
    this.refreshAlerts(now);
    const seen = new Set<string>();
    for (const id of this.source.incidents.keys()) {
      seen.add(id);
      this.refreshCase(id, now);
    }
    for (const item of [...this.items.values()]) if (item.kind !== "alert" && item.incidentId !== undefined && !seen.has(item.incidentId)) this.refreshCase(item.incidentId, now);
  }

  private refreshCase(id: string, now: number): void {
    const key = caseKey(id);
    const incident = this.source.incidents.get(id);
    const input = incident ? this.input(incident) : null;
    const condition = input ? caseAttention(input, this.categories, now) : null;
    if (incident && input) this.currentUntil.set(incident, nextOverdueChange(input, this.categories, now) ?? Number.POSITIVE_INFINITY);
    if (!incident || !condition) {
      this.drop(key, now);
      return;
    }
    const alerts = this.alertsByCase.get(id) ?? [];
    let level: AlertLevel = condition.level;
    // An alert about the case not yet acknowledged can raise it (a critical alert on an overdue case).
    for (const { alert, acknowledged } of alerts) if (!acknowledged && LEVEL_RANK[alert.level] > LEVEL_RANK[level]) level = alert.level;
    const ack = this.acks.get(key);
    if (ack && isWorse({ level, reasons: condition.reasons }, ack)) this.endAck(key, "worse", now);
    const current = this.acks.get(key);
    const item: AttentionItem = {
      key,
      kind: condition.reasons.includes("urgent") ? "urgent-case" : "overdue-case",
      level,
      reasons: [...condition.reasons],
      title: incident.title,
      body: incident.address ?? incident.category.minor,
      at: condition.since,
      incidentId: id,
      alertIds: alerts.map((a) => a.alert.id),
      ...(current && { acknowledged: { by: current.operator, at: current.at } }),
    };
    this.put(item);
  }

  private refreshAlerts(now: number): void {
    const byCase = new Map<string, StoredAlert[]>();
    const showing = new Set<string>();
    for (const stored of this.source.alerts) {
      const { alert, acknowledged } = stored;
      if (alert.incidentId !== undefined && this.caseOnList(alert.incidentId, now)) {
        const list = byCase.get(alert.incidentId);
        if (list) list.push(stored);
        else byCase.set(alert.incidentId, [stored]);
        continue;
      }
      const key = alertKey(alert.id);
      const ack = this.acks.get(key);
      // Acknowledged some other way (the older acknowledgeAlert call), or long enough ago: off the list.
      if (acknowledged && (!ack || this.wallNow() - toEpochMs(ack.at) >= ACKNOWLEDGED_ALERT_LINGER_MS)) continue;
      showing.add(key);
      this.put({
        key,
        kind: "alert",
        level: alert.level,
        reasons: [],
        title: alert.title,
        at: alert.at,
        alertIds: [alert.id],
        ...(alert.body !== undefined && { body: alert.body }),
        ...(alert.incidentId !== undefined && { incidentId: alert.incidentId }),
        ...(alert.unitId !== undefined && { unitId: alert.unitId }),
        ...(ack && { acknowledged: { by: ack.operator, at: ack.at } }),
      });
    }
    const before = this.alertsByCase;
    this.alertsByCase = byCase;
    for (const [key, item] of [...this.items]) if (item.kind === "alert" && !showing.has(key)) this.drop(key, now);
    for (const id of new Set([...before.keys(), ...byCase.keys()])) if (!sameAlerts(before.get(id), byCase.get(id))) this.refreshCase(id, now);
  }

  private caseOnList(incidentId: string, now: number): boolean {
    const incident = this.source.incidents.get(incidentId);
    return incident !== undefined && caseAttention(this.input(incident), this.categories, now) !== null;
  }

  /** What the deadline rules read, made once per case record (records are replaced, never edited). */
  private input(incident: Incident): AttentionCaseInput {
    let input = this.inputs.get(incident);
    if (!input) {
      input = {
        status: incident.status,
        priority: incident.priority,
        createdAt: incident.createdAt,
        category: incident.category,
        milestones: milestones(incident),
        ...(incident.respondBy !== undefined && { respondBy: incident.respondBy }),
        ...(incident.closeBy !== undefined && { closeBy: incident.closeBy }),
        ...(incident.department !== undefined && { department: incident.department }),
      };
      this.inputs.set(incident, input);
    }
    return input;
  }

  private put(item: AttentionItem): void {
    const current = this.items.get(item.key);
    if (current && sameItem(current, item)) return;
    this.items.set(item.key, item);
    this.removed.delete(item.key);
    this.changed.add(item.key);
  }

  private drop(key: string, now: number): void {
    if (this.items.delete(key)) {
      this.changed.delete(key);
      this.removed.add(key);
    }
    if (this.acks.has(key)) this.endAck(key, "resolved", now);
  }

  private endAck(key: string, why: AcknowledgementEnd, now: number): void {
    if (!this.acks.delete(key)) return;
    this.ops.push({ op: "ackEnd", key, at: toBeijingIso(now), why });
  }
}

const sameAlerts = (a: readonly StoredAlert[] = [], b: readonly StoredAlert[] = []): boolean =>
  a.length === b.length && a.every((x, i) => x.alert.id === b[i]?.alert.id && x.acknowledged === b[i]?.acknowledged);

function sameItem(a: AttentionItem, b: AttentionItem): boolean {
  return (
    a.kind === b.kind &&
    a.level === b.level &&
    a.title === b.title &&
    a.body === b.body &&
    a.at === b.at &&
    a.unitId === b.unitId &&
    a.incidentId === b.incidentId &&
    a.reasons.join() === b.reasons.join() &&
    a.alertIds.join() === b.alertIds.join() &&
    a.acknowledged?.at === b.acknowledged?.at &&
    a.acknowledged?.by.id === b.acknowledged?.by.id
  );
}
