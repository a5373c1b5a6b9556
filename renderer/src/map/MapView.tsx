/** Placeholder mounted by the wall layout until the real component lands. */
export function MapView() {
  return <div className="placeholder" data-testid="map">地图</div>;
}
