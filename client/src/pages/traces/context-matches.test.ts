import { expect, test } from "bun:test";
import type { TraceSummary } from "../../api/types.ts";
import { contextMatches } from "./context-matches.ts";

const trace: TraceSummary = {
  id: "t", project: "p", name: null, provider: null, model: null, status: "ok", start_time: 0, duration_ms: null,
  total_tokens: null, cost_usd: null, user_id: "u-1", session_id: "s-1", tags: ["prod", "v2"],
  metadata: { tenant: "acme", retries: 3, plan: { tier: "gold" }, "ai.flag": true },
};

test("a live trace joins a filtered list only when it has the user, session, every tag and each metadata value", () => {
  expect(contextMatches(trace, { user: "u-1", session: "s-1", tag: ["prod", "v2"] })).toBe(true);
  expect(contextMatches(trace, { tag: ["prod", "beta"] })).toBe(false);
  expect(contextMatches(trace, { user: "u-2" })).toBe(false);
  expect(contextMatches(trace, { metadata: { tenant: "acme", retries: "3", "plan.tier": "gold", "ai.flag": "true" } })).toBe(true);
  expect(contextMatches(trace, { metadata: { tenant: "globex" } })).toBe(false);
});
