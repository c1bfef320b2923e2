import { expect, test } from "bun:test";
import { exactCost, formatCost } from "./money.ts";

test("a cost below a hundredth of a cent shows as <$0.0001, never as $0.0000 beside a real zero", () => {
  expect(formatCost(0.000_003_75)).toBe("<$0.0001");
  expect(formatCost(0)).toBe("$0");
  expect(formatCost(0.0012)).toBe("$0.0012");
  expect(formatCost(1.5)).toBe("$1.50");
  expect(formatCost(12_345.6)).toBe("$12,346");
});

test("a call whose model has no price is unpriced, not free", () => {
  expect(formatCost(null)).toBe("unpriced");
  expect(formatCost(undefined)).toBe("unpriced");
  expect(exactCost(null)).toBe("No price known for this model");
  expect(exactCost(0.000_003_75)).toBe("$0.00000375");
});
