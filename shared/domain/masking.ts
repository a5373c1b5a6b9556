/*
 * Masking of personal data shown on the wall, where visitors can read it.
 * Names keep the surname (复姓 keep both characters), phones keep the carrier
 * prefix and the last four digits: enough for an operator to recognise a
 * caller, not enough for a visitor to call them.
 */

/** Two-character surnames: masking them after one character would give away half the surname and leak the given name's length. */
const COMPOUND_SURNAMES = new Set([
  "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐",
  "钟离", "端木", "独孤", "南宫", "西门", "百里", "呼延", "闻人", "澹台", "公冶", "太史", "申屠", "濮阳", "淳于", "单于",
]);

const isHan = (ch: string): boolean => /\p{Script=Han}/u.test(ch);

/** 张三 → 张*, 欧阳娜娜 → 欧阳**, 李 → 李*, John Smith → J*** S****. */
export function maskName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "") return "";
  const chars = Array.from(trimmed);
  const first = chars[0] ?? "";
  if (isHan(first)) {
    const compound = chars.length > 2 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join(""));
    const keep = compound ? 2 : 1;
    const hidden = Math.max(1, chars.length - keep);
    return chars.slice(0, keep).join("") + "*".repeat(hidden);
  }
  return trimmed
    .split(/\s+/)
    .map((word) => {
      const letters = Array.from(word);
      return (letters[0] ?? "") + "*".repeat(Math.max(1, letters.length - 1));
    })
    .join(" ");
}

/**
 * 13912345678 → 139****5678, +86 139-1234-5678 → 139****5678,
 * 010-12345678 → 010****5678. Fewer than 7 digits: everything but the last two hidden.
 */
export function maskPhone(phone: string): string {
  let digits = phone.replace(/\D/g, "");
  if (digits.length === 13 && digits.startsWith("86")) digits = digits.slice(2);
  if (digits.length === 0) return "";
  if (digits.length < 7) return "*".repeat(Math.max(1, digits.length - 2)) + digits.slice(-2);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** `unavailable`: the cache could not open the sealed name and phone (its key lost or replaced). */
export type Reporter = { name?: string; phone?: string; unitId?: string; unavailable?: true };

/** The reporter as the wall may show it. A unit id is not personal data (it names a terminal), so it stays. */
export function maskReporter(reporter: Reporter): Reporter & { masked: true } {
  const out: Reporter & { masked: true } = { masked: true };
  if (reporter.name !== undefined) out.name = maskName(reporter.name);
  if (reporter.phone !== undefined) out.phone = maskPhone(reporter.phone);
  if (reporter.unitId !== undefined) out.unitId = reporter.unitId;
  if (reporter.unavailable) out.unavailable = true;
  return out;
}
