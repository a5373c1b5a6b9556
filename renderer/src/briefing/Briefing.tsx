/** Placeholder mounted by the wall layout until the real component lands. */
export function Briefing() {
  return <div className="placeholder">汇报模式</div>;
}
