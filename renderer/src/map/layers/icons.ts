import type { IncidentStatus, Priority, UnitRole } from "../../../../shared/protocol/types.js";
import type { Language } from "../../state/ui.js";
import { UNIT_ROLES } from "./units.js";

/*
 * Icon atlases drawn once per language on a canvas (no image files, no
 * network): incident markers, the role glyphs of patrol staff and the heading
 * arrow. deck.gl gets them through the layer's `fetch` prop, keyed by an
 * `atlas:` URL, so nothing is fetched for real.
 */

export type IconFrame = { x: number; y: number; width: number; height: number; mask: boolean };
export type IconAtlas = { canvas: HTMLCanvasElement; mapping: Record<string, IconFrame> };

export const MAP_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif';

/** Priority is told by shape and colour together, the status by the glyph inside: never colour alone. */
export const PRIORITY_STYLE: Readonly<Record<Priority, { shape: "triangle" | "diamond" | "circle" | "square"; color: string; ink: string }>> = {
  urgent: { shape: "triangle", color: "#D55E00", ink: "#ffffff" },
  high: { shape: "diamond", color: "#E69F00", ink: "#111111" },
  normal: { shape: "circle", color: "#56B4E9", ink: "#111111" },
  low: { shape: "square", color: "#A7B1BC", ink: "#111111" },
};

export const OPEN_STATUSES_DRAWN = ["reported", "registered", "dispatched", "processing", "responded"] as const satisfies readonly IncidentStatus[];

export const STATUS_GLYPHS: Readonly<Record<Language, Record<(typeof OPEN_STATUSES_DRAWN)[number], string>>> = {
  "zh-CN": { reported: "报", registered: "立", dispatched: "派", processing: "处", responded: "馈" },
  en: { reported: "N", registered: "R", dispatched: "D", processing: "P", responded: "V" },
};

export const ROLE_GLYPHS: Readonly<Record<Language, Record<UnitRole, string>>> = {
  "zh-CN": { grid_manager: "长", grid_assistant: "员", grid_supervisor: "督", grid_police: "警", grid_judicial: "法", grid_firefighter: "消", party_secretary: "党", other: "他" },
  en: { grid_manager: "M", grid_assistant: "A", grid_supervisor: "S", grid_police: "P", grid_judicial: "J", grid_firefighter: "F", party_secretary: "C", other: "O" },
};

const CELL = 64;

export const incidentIconId = (priority: Priority, status: IncidentStatus): string => `${priority}:${status}`;
export const roleIconId = (role: UnitRole): string => `role:${role}`;
export const HEADING_ICON = "heading";

function shapePath(ctx: CanvasRenderingContext2D, shape: (typeof PRIORITY_STYLE)[Priority]["shape"], x: number, y: number): void {
  const c = CELL / 2;
  ctx.beginPath();
  if (shape === "triangle") {
    ctx.moveTo(x + c, y + 4);
    ctx.lineTo(x + CELL - 4, y + CELL - 8);
    ctx.lineTo(x + 4, y + CELL - 8);
  } else if (shape === "diamond") {
    ctx.moveTo(x + c, y + 3);
    ctx.lineTo(x + CELL - 3, y + c);
    ctx.lineTo(x + c, y + CELL - 3);
    ctx.lineTo(x + 3, y + c);
  } else if (shape === "circle") {
    ctx.arc(x + c, y + c, c - 6, 0, Math.PI * 2);
  } else {
    ctx.rect(x + 9, y + 9, CELL - 18, CELL - 18);
  }
  ctx.closePath();
}

function canvas(width: number, height: number): [HTMLCanvasElement, CanvasRenderingContext2D] {
  const element = document.createElement("canvas");
  element.width = width;
  element.height = height;
  const ctx = element.getContext("2d");
  if (!ctx) throw new Error("2D canvas unavailable for map icons");
  return [element, ctx];
}

export function drawIncidentAtlas(language: Language): IconAtlas {
  const priorities = Object.keys(PRIORITY_STYLE) as Priority[];
  const [element, ctx] = canvas(CELL * OPEN_STATUSES_DRAWN.length, CELL * priorities.length);
  const mapping: Record<string, IconFrame> = {};
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  priorities.forEach((priority, row) => {
    const style = PRIORITY_STYLE[priority];
    OPEN_STATUSES_DRAWN.forEach((status, column) => {
      const x = column * CELL;
      const y = row * CELL;
      shapePath(ctx, style.shape, x, y);
      ctx.fillStyle = style.color;
      ctx.fill();
      ctx.lineWidth = 4;
      ctx.strokeStyle = "#0b1118";
      ctx.stroke();
      ctx.fillStyle = style.ink;
      ctx.font = `bold ${style.shape === "triangle" ? 24 : 28}px ${MAP_FONT}`;
      ctx.fillText(STATUS_GLYPHS[language][status], x + CELL / 2, y + CELL / 2 + (style.shape === "triangle" ? 8 : 1));
      mapping[incidentIconId(priority, status)] = { x, y, width: CELL, height: CELL, mask: false };
    });
  });
  return { canvas: element, mapping };
}

export function drawUnitAtlas(language: Language): IconAtlas {
  const [element, ctx] = canvas(CELL * (UNIT_ROLES.length + 1), CELL);
  const mapping: Record<string, IconFrame> = {};
  ctx.fillStyle = "#ffffff";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.font = `bold 40px ${MAP_FONT}`;
  UNIT_ROLES.forEach((role, i) => {
    // Dark glyph outline keeps the letter legible on the yellow "busy" fill too.
    ctx.lineWidth = 6;
    ctx.strokeStyle = "#0b1118";
    ctx.strokeText(ROLE_GLYPHS[language][role], i * CELL + CELL / 2, CELL / 2 + 2);
    ctx.fillText(ROLE_GLYPHS[language][role], i * CELL + CELL / 2, CELL / 2 + 2);
    mapping[roleIconId(role)] = { x: i * CELL, y: 0, width: CELL, height: CELL, mask: false };
  });
  // The heading arrow: a wedge at the top of a square cell, so rotating the cell about its centre swings it round the unit.
  const x = UNIT_ROLES.length * CELL;
  ctx.beginPath();
  ctx.moveTo(x + CELL / 2, 0);
  ctx.lineTo(x + CELL / 2 + 11, 17);
  ctx.lineTo(x + CELL / 2, 12);
  ctx.lineTo(x + CELL / 2 - 11, 17);
  ctx.closePath();
  ctx.fill();
  mapping[HEADING_ICON] = { x, y: 0, width: CELL, height: CELL, mask: true };
  return { canvas: element, mapping };
}
