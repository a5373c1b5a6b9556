import type { HandoverRecord } from "../../../shared/bridge/handover.js";
import type { Operator } from "../../../shared/protocol/types.js";
import { maskName } from "../../../shared/domain/masking.js";

/*
 * The handover record as it is printed: paper leaves the room, so the names of
 * the people in it (who handed over, who acknowledged what, who took over)
 * are masked (张*), and so is any mobile number written into its free text
 * (the note, case titles, command summaries: 139****5678). Ids, times and
 * counts stay: they are what a printed record is for.
 */

const MOBILE = /(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;

export const maskPhonesIn = (text: string): string => text.replace(MOBILE, (_all, head: string, _middle: string, tail: string) => `${head}****${tail}`);

const person = (operator: Operator): Operator => ({ ...operator, name: maskName(operator.name) });

export function maskedRecord(record: HandoverRecord): HandoverRecord {
  const cases = (list: HandoverRecord["opened"]): HandoverRecord["opened"] => ({ ...list, items: list.items.map((c) => ({ ...c, title: maskPhonesIn(c.title) })) });
  return {
    ...record,
    by: person(record.by),
    note: maskPhonesIn(record.note),
    opened: cases(record.opened),
    closed: cases(record.closed),
    overdue: cases(record.overdue),
    outbox: { ...record.outbox, items: record.outbox.items.map((c) => ({ ...c, summary: maskPhonesIn(c.summary) })) },
    attention: {
      ...record.attention,
      items: record.attention.items.map((a) => ({ ...a, title: maskPhonesIn(a.title), acknowledgements: a.acknowledgements.map((k) => ({ ...k, by: person(k.by) })) })),
    },
    ...(record.acknowledged ? { acknowledged: { ...record.acknowledged, by: person(record.acknowledged.by) } } : {}),
  };
}
