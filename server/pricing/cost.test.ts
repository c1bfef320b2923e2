import { expect, test } from "bun:test";
import { costOfRecord, costUsd, priceOf } from "./cost.ts";

test("a dated snapshot is priced as its model", () => {
  expect(priceOf("openai", "gpt-4o-2024-08-06")).toEqual(priceOf("openai", "gpt-4o"));
  expect(priceOf("anthropic", "claude-sonnet-4-20250514")).toEqual(priceOf("anthropic", "claude-sonnet-4"));
  expect(priceOf("openai", "gpt-4o-mini-2024-07-18")!.input).toBe(0.15);
});

test("gpt-4o costs input plus output at its per-million prices", () => {
  expect(costUsd("openai", "gpt-4o", { prompt: 1_000_000, completion: 1_000_000 })).toBeCloseTo(12.5, 9);
});

test("cached prompt tokens are charged at the cached price", () => {
  expect(costUsd("openai", "gpt-4o", { prompt: 1_000_000, completion: 0, cachedRead: 1_000_000 })).toBeCloseTo(1.25, 9);
});

test("Anthropic cache reads and writes are charged at their own prices", () => {
  const cost = costUsd("anthropic", "claude-sonnet-4-20250514", { prompt: 3_000_000, completion: 0, cachedRead: 1_000_000, cacheWrite: 1_000_000 });
  expect(cost).toBeCloseTo(3 + 0.3 + 3.75, 9);
});

test("an unknown model has a null cost, not zero", () => {
  expect(costUsd("openai", "my-finetune", { prompt: 10, completion: 10 })).toBeNull();
  expect(costUsd(null, "gpt-4o", { prompt: 10, completion: 10 })).toBeNull();
  expect(costOfRecord("anthropic", "claude-unknown", { promptTokens: 1, completionTokens: 1, cachedTokens: null })).toBeNull();
});
