import { describe, expect, test } from "bun:test";
import { foldText, hiddenLabel } from "./fold.ts";

describe("folding long text", () => {
  test("short text is left whole", () => {
    expect(foldText("one\ntwo")).toBeNull();
  });

  test("a 100-line prompt shows its first 30 lines and says how many are hidden", () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
    const folded = foldText(text)!;
    expect(folded.preview.split("\n")).toHaveLength(30);
    expect(folded.hiddenLines).toBe(70);
    expect(hiddenLabel(folded)).toStartWith("70 more lines");
  });

  test("a 300 KB single-line string is cut to 2 KB", () => {
    const folded = foldText("A".repeat(300_000))!;
    expect(folded.preview.length).toBe(2048);
    expect(hiddenLabel(folded)).toBe("291 KB");
  });
});
