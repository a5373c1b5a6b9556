import type { ReactNode } from "react";
import type { HandoverList, HandoverRecord } from "../../../shared/bridge/handover.js";
import { ALERT_LEVEL_NAMES, CONNECTION_NAMES, OUTBOX_STATE_NAMES, STATUS_NAMES } from "../app/labels.js";
import { fill, useMessages } from "../i18n/index.js";
import { useUiSelector } from "../state/context.js";
import { minutesBetween, shortTime } from "./format.js";
import { handoverMessages } from "./messages.js";

/** The shift's record as the next operator reads it: the note first, then each list with its count. */
export function HandoverRecordView({ record }: { record: HandoverRecord }) {
  const t = useMessages(handoverMessages);
  const language = useUiSelector((s) => s.language);
  const status = STATUS_NAMES[language];
  const cases = (list: HandoverRecord["opened"]) => (
    <Items list={list}>
      {list.items.map((c) => (
        <li key={c.id} className="handover__item">
          <time>{shortTime(c.at)}</time> <span className="handover__id">{c.id}</span> {c.title} <span className="handover__tag">{status[c.status]}</span>
        </li>
      ))}
    </Items>
  );
  return (
    <div className="handover__record">
      <p className="handover__meta">
        {fill(t.shift, { from: shortTime(record.from), to: shortTime(record.to) })} · {fill(t.by, { name: record.by.name })}
      </p>
      <blockquote className="handover__note" data-testid="handover-note-shown">
        {record.note || t.noNote}
      </blockquote>
      <div className="handover__sections">
        <Section title={t.opened} total={record.opened.total}>
          {cases(record.opened)}
        </Section>
        <Section title={t.closed} total={record.closed.total}>
          {cases(record.closed)}
        </Section>
        <Section title={t.overdue} total={record.overdue.total}>
          {cases(record.overdue)}
        </Section>
        <Section title={t.outbox} total={record.outbox.total}>
          <Items list={record.outbox}>
            {record.outbox.items.map((c) => (
              <li key={c.commandId} className="handover__item">
                <time>{shortTime(c.issuedAt)}</time> {c.summary} <span className="handover__tag">{OUTBOX_STATE_NAMES[language][c.state]}</span>
              </li>
            ))}
          </Items>
        </Section>
        <Section title={t.attention} total={record.attention.total}>
          <Items list={record.attention}>
            {record.attention.items.map((a) => (
              <li key={a.key} className="handover__item" data-level={a.level}>
                <time>{shortTime(a.at)}</time> <span className="handover__tag">{ALERT_LEVEL_NAMES[language][a.level]}</span> {a.title}{" "}
                <span className="handover__muted">{a.open ? t.stillOn : t.leftList}</span>
                <br />
                <span className="handover__ack">
                  {a.acknowledgements.length === 0 ? t.notAcknowledged : a.acknowledgements.map((k) => fill(t.acknowledgedBy, { name: k.by.name, time: shortTime(k.at) })).join("；")}
                </span>
              </li>
            ))}
          </Items>
        </Section>
        <Section title={t.outages} total={record.outages.total}>
          <Items list={record.outages}>
            {record.outages.items.map((o) => (
              <li key={o.from} className="handover__item">
                <span className="handover__tag">{CONNECTION_NAMES[language][o.state]}</span>{" "}
                {o.to === undefined ? fill(t.lasting, { from: shortTime(o.from) }) : fill(t.stretch, { from: shortTime(o.from), to: shortTime(o.to), minutes: minutesBetween(o.from, o.to) })}
              </li>
            ))}
          </Items>
        </Section>
      </div>
    </div>
  );
}

function Section({ title, total, children }: { title: string; total: number; children: ReactNode }) {
  return (
    <section className="handover__section">
      <h3>
        {title} <span className="handover__count">{total}</span>
      </h3>
      {children}
    </section>
  );
}

function Items<T>({ list, children }: { list: HandoverList<T>; children: ReactNode }) {
  const t = useMessages(handoverMessages);
  if (list.total === 0) return <p className="handover__muted">{t.none}</p>;
  return (
    <>
      <ul className="handover__list">{children}</ul>
      {list.total > list.items.length && <p className="handover__muted">{fill(t.more, { count: list.total - list.items.length })}</p>}
    </>
  );
}
