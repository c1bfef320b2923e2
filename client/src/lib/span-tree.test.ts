import { describe, expect, test } from "bun:test";
import type { Span } from "../api/types.ts";
import { ancestorsOf, buildSpanTree } from "./span-tree.ts";

const span = (id: string, parent: string | null, start: number, end: number | null): Span => ({
  id,
  span_id: id,
  trace_id: "root",
  root_span_id: "root",
  span_parents: parent ? [parent] : [],
  name: id,
  type: "task",
  metrics: { start, end },
});

describe("span tree", () => {
  test("children sit under their parent in start order, with waterfall offsets", () => {
    const rows = buildSpanTree([span("b", "root", 5, 10), span("root", null, 0, 10), span("a", "root", 1, 3), span("a1", "a", 2, 3)], 100);
    expect(rows.map((r) => [r.span.span_id, r.depth])).toEqual([
      ["root", 0],
      ["a", 1],
      ["a1", 2],
      ["b", 1],
    ]);
    expect(rows[1]).toMatchObject({ offset: 0.1, width: 0.2 });
  });

  test("a span whose parent has not arrived yet is shown at the top level", () => {
    const rows = buildSpanTree([span("orphan", "missing", 0, 1)], 10);
    expect(rows.map((r) => [r.span.span_id, r.depth])).toEqual([["orphan", 0]]);
  });

  test("a running span's bar reaches to now", () => {
    const rows = buildSpanTree([span("root", null, 0, null)], 4);
    expect(rows[0]).toMatchObject({ offset: 0, width: 1 });
  });

  test("a 2,000-deep chain of spans does not overflow the stack", () => {
    const spans = Array.from({ length: 2000 }, (_, i) => span(`s${i}`, i ? `s${i - 1}` : null, i, i + 1));
    const rows = buildSpanTree(spans, 3000);
    expect(rows.length).toBe(2000);
    expect(rows.at(-1)!.depth).toBe(1999);
  });
});

describe("folding the span tree", () => {
  test("a folded span keeps its row and hides its whole subtree", () => {
    const spans = [span("root", null, 0, 10), span("a", "root", 1, 3), span("a1", "a", 2, 3), span("a2", "a1", 2, 3), span("b", "root", 5, 10)];
    const rows = buildSpanTree(spans, 100, new Set(["a"]));
    expect(rows.map((r) => r.span.span_id)).toEqual(["root", "a", "b"]);
    expect(rows[1]!.children).toBe(1);
  });

  test("a span's ancestors are listed nearest first", () => {
    const spans = [span("root", null, 0, 10), span("a", "root", 1, 3), span("a1", "a", 2, 3)];
    expect(ancestorsOf("a1", spans)).toEqual(["a", "root"]);
  });
});
