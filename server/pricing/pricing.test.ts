import { expect, test } from "bun:test";
import { familyOf } from "./model-family.ts";
import { createPricing } from "./pricing.ts";

const pricing = createPricing();
const usage = { prompt: 1_000_000, completion: 0, cachedRead: null, cacheWrite: null };

test("a model's family drops where it runs and which snapshot it is", () => {
  const families: [string, string][] = [
    ["gpt-4o-2024-08-06", "gpt-4o"],
    ["gpt-4o", "gpt-4o"],
    ["gpt-4o-mini-2024-07-18", "gpt-4o-mini"],
    ["claude-sonnet-4-20250514", "claude-sonnet-4"],
    ["claude-3-5-haiku-latest", "claude-3-5-haiku"],
    ["claude-sonnet-4-5", "claude-sonnet-4-5"],
    ["gpt-3.5-turbo-0125", "gpt-3.5-turbo"],
    ["gemini-1.5-pro-002", "gemini-1.5-pro"],
    ["openai/gpt-4o", "gpt-4o"],
    ["us.anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3-5-sonnet"],
    ["grok-4-0709", "grok-4"],
  ];
  for (const [model, family] of families) expect(familyOf(model)).toBe(family);
});

test("the family comes from the price library's match where it has one", () => {
  // The library matches the dated id to its `claude-sonnet-4-0` entry: the family is still claude-sonnet-4.
  expect(pricing.familyOf("anthropic", "claude-sonnet-4-20250514")).toBe("claude-sonnet-4");
  expect(pricing.familyOf(null, "our-model-2024-01-01")).toBe("our-model");
});

test("OpenAI's cached prompt tokens are charged at the cached price", () => {
  // gpt-4o: $2.50 a million, $1.25 cached.
  expect(pricing.costOf({ provider: "openai", model: "gpt-4o", ...usage, cachedRead: 1_000_000 })).toBeCloseTo(1.25, 9);
});

test("Anthropic cache reads and writes are charged at their own prices", () => {
  // claude-sonnet-4: $3 input, $0.30 cache read, $3.75 cache write, a million tokens.
  const cost = pricing.costOf({ provider: "anthropic", model: "claude-sonnet-4-20250514", ...usage, prompt: 3_000_000, cachedRead: 1_000_000, cacheWrite: 1_000_000 });
  expect(cost).toBeCloseTo(3 + 0.3 + 3.75, 9);
});

test("no usage, or a model the prices lack, is unpriced: null, never 0", () => {
  expect(pricing.costOf({ provider: "openai", model: "gpt-4o", prompt: null, completion: null, cachedRead: null, cacheWrite: null })).toBeNull();
  expect(pricing.costOf({ provider: "openai", model: "my-finetune", ...usage })).toBeNull();
  expect(pricing.costOf({ provider: "openai", model: null, ...usage })).toBeNull();
});

test("a provider the library does not name still prices a model it knows", () => {
  expect(pricing.costOf({ provider: "my-gateway", model: "gpt-4o", ...usage })).toBeCloseTo(2.5, 9);
});
