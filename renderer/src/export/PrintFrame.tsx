import { useEffect, type ReactNode } from "react";
import { EXPORT_ERROR_ATTRIBUTE, EXPORT_STATE_ATTRIBUTE } from "../../../shared/bridge/export-route.js";
import "./export.css";

/*
 * What every printable document (the briefing, the handover record) shares:
 * the state <html> tells the printing shell, the wait for the fonts before
 * "ready", and the page frame whose running head repeats on every page.
 */

/** Tells the shell (through <html>) whether the document is still loading, ready to print, or failed and why. */
export function setPrintState(state: "loading" | "ready" | "failed", error?: string): void {
  const root = document.documentElement;
  root.setAttribute(EXPORT_STATE_ATTRIBUTE, state);
  if (error) root.setAttribute(EXPORT_ERROR_ATTRIBUTE, error);
}

/**
 * Marks the document failed as soon as `failure` is a reason, and ready once
 * `done` holds and the fonts are in (the DOM is committed by then; printing
 * lays it out). Ready is set in a task, not an animation frame: Electron's
 * hidden printing window may never paint one.
 */
export function usePrintReady(done: boolean, failure: string | null): void {
  useEffect(() => {
    if (failure !== null) {
      setPrintState("failed", failure);
      return;
    }
    if (!done) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    void document.fonts.ready.then(() => {
      timer = setTimeout(() => {
        if (live) setPrintState("ready");
      }, 0);
    });
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [done, failure]);
}

/**
 * A printable document's page frame: the running head (title, the demo
 * notice, 数据截至) sits in the frame table's <thead>, which the browser
 * repeats at the top of every printed page; the body breaks across pages as
 * paper needs.
 */
export function PrintFrame({
  className,
  testId,
  attributes,
  title,
  demo,
  asOf,
  children,
}: {
  className?: string;
  testId: string;
  attributes?: Readonly<Record<`data-${string}`, string>>;
  title: ReactNode;
  demo: ReactNode;
  asOf: ReactNode;
  children: ReactNode;
}) {
  return (
    <table className={className ? `export-frame ${className}` : "export-frame"} data-testid={testId} {...attributes}>
      <thead>
        <tr>
          <td>
            <div className="export-running-head">
              <span className="export-running-title">{title}</span>
              {demo ? (
                <span className="export-running-demo" data-testid="demo-banner">
                  {demo}
                </span>
              ) : null}
              <span className="export-running-as-of" data-testid="export-as-of">
                {asOf}
              </span>
            </div>
          </td>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>{children}</td>
        </tr>
      </tbody>
    </table>
  );
}
