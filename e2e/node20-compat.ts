/*
 * WARNING: vitest 5's reporter calls Map.groupBy, which Node gains only in 21.
 * On Node 20 (this project's runtime) a failing test then crashes the report
 * ("Map.groupBy is not a function") instead of printing why it failed. This
 * supplies the standard method where it is missing.
 */
function groupBy<K, V>(items: Iterable<V>, key: (item: V, index: number) => K): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  let index = 0;
  for (const item of items) {
    const k = key(item, index++);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

if (typeof (Map as unknown as { groupBy?: unknown }).groupBy !== "function") {
  Object.defineProperty(Map, "groupBy", { value: groupBy, writable: true, configurable: true });
}

export {};
