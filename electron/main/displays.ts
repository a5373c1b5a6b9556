/*
 * Which display gets the wall and which the operator's window. Pure, on plain
 * descriptors (Electron's Display reduced to what matters), so the choice is
 * tested without Electron and re-run whenever displays come and go.
 */

export type DisplayInfo = { id: number; bounds: { x: number; y: number; width: number; height: number }; primary: boolean };
/** "auto", "primary", "none" (operator only) or a 1-based index counted left to right, then top to bottom. */
export type DisplayChoice = "auto" | "primary" | "none" | number;
export type Placement = { wall: DisplayInfo; operator: DisplayInfo | null; notes: string[] };

const area = (d: DisplayInfo) => d.bounds.width * d.bounds.height;

export function orderDisplays(displays: readonly DisplayInfo[]): DisplayInfo[] {
  return [...displays].sort((a, b) => a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y || a.id - b.id);
}

function pick(ordered: DisplayInfo[], choice: Exclude<DisplayChoice, "auto" | "none">, role: string, notes: string[]): DisplayInfo | undefined {
  if (choice === "primary") return ordered.find((d) => d.primary);
  const found = ordered[choice - 1];
  if (!found) notes.push(`${role} display ${choice} is not connected (${ordered.length} found): placed automatically`);
  return found;
}

export function chooseDisplays(displays: readonly DisplayInfo[], wallChoice: DisplayChoice, operatorChoice: DisplayChoice): Placement {
  const ordered = orderDisplays(displays);
  const primary = ordered.find((d) => d.primary) ?? ordered[0];
  if (!primary) throw new Error("no display connected");
  const notes: string[] = [];

  const explicitWall = wallChoice === "auto" || wallChoice === "none" ? undefined : pick(ordered, wallChoice, "wall", notes);
  // The wall is the biggest screen that is not the operator's desk, when there is one.
  const others = ordered.filter((d) => d.id !== primary.id);
  const largestOther = others.reduce<DisplayInfo | undefined>((best, d) => (best === undefined || area(d) > area(best) ? d : best), undefined);
  const wall = explicitWall ?? largestOther ?? primary;

  let operator: DisplayInfo | null = null;
  if (operatorChoice !== "none") {
    const explicit = operatorChoice === "auto" ? undefined : pick(ordered, operatorChoice, "operator", notes);
    const fallback = primary.id !== wall.id ? primary : ordered.find((d) => d.id !== wall.id);
    operator = explicit && explicit.id !== wall.id ? explicit : (fallback ?? null);
    if (explicit && explicit.id === wall.id) notes.push("operator display is the wall display: the operator window goes elsewhere");
  }
  if (operatorChoice !== "none" && operator === null) notes.push("one display only: no separate operator window (the wall window is the console)");
  return { wall, operator, notes };
}
