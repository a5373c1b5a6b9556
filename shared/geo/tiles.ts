/*
 * XYZ tile templates (a deployment's own tile server, `MapSettings.tiles`).
 * One rule for what a template is, shared by the configuration that accepts
 * one, the hosts that let the page reach its server, and the map that draws
 * it, so that none of them can accept what another refuses.
 */

/**
 * Only http(s) templates naming {z}, {x} and {y}, with placeholders in the
 * path alone: anything else is a configuration mistake, not a map. A "{s}"
 * subdomain would stay literal (deck.gl fills z, x and y only), and the host
 * must be the one fixed origin the CSP lets the page reach.
 */
export function validTileTemplate(url: string | undefined): url is string {
  const match = url === undefined ? null : /^https?:\/\/([^/?#]*)/.exec(url);
  if (!url || !match || /[{}]/.test(match[1] ?? "")) return false;
  return ["{z}", "{x}", "{y}"].every((token) => url.includes(token));
}
