/** Placeholder mounted by the wall layout until the real component lands. */
export function KpiPanel() {
  return <div className="placeholder">态势指标</div>;
}
