/**
 * A cost in US dollars, honest at both ends: "unpriced" when the model has no price (null),
 * "$0" only for a real zero, "<$0.0001" for a cost too small to print, never "$0.0000".
 */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return "unpriced";
  if (usd === 0) return "$0";
  if (usd < 0) return `-${formatCost(-usd)}`;
  if (usd < 0.0001) return "<$0.0001";
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 1000) return `$${usd.toFixed(2)}`;
  return `$${usd.toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
}

// Made once: a list row asks for one per cost shown.
const exactDigits = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 6 });

/** The hover text of a cost: every digit, so "<$0.0001" can be checked against the bill. */
export function exactCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return "No price known for this model";
  return `$${exactDigits.format(usd)}`;
}
