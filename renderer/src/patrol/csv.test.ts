import { describe, expect, it } from "vitest";
import { BOM, csvCell, toCsv } from "./csv.js";

describe("CSV for Excel", () => {
  it("starts with a UTF-8 byte-order mark, so Excel reads the Chinese, and ends every row with CRLF", () => {
    const csv = toCsv([
      ["姓名", "时长"],
      ["张三", 12.5],
    ]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(csv.slice(1)).toBe("姓名,时长\r\n张三,12.5\r\n");
  });

  it("quotes a field with a comma, a quote or a line break, doubling the quotes", () => {
    expect(csvCell('东华门,"一"网格')).toBe('"东华门,""一""网格"');
    expect(csvCell("第一行\n第二行")).toBe('"第一行\n第二行"');
    expect(csvCell("a\rb")).toBe('"a\rb"');
    expect(csvCell("plain")).toBe("plain");
  });

  it("leads text Excel would run as a formula with an apostrophe, and leaves numbers as numbers", () => {
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(Number.NaN)).toBe("");
  });
});
