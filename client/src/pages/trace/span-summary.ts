import type { Span } from "../../api/types.ts";
import { formatCost, formatDuration, formatTokens, toDate } from "../../lib/format.ts";
import { errorStatus } from "../../lib/span-errors.ts";
import { spanEnd, spanStart } from "../../lib/spans.ts";

export type SummaryItem = { label: string; value: string };

/** The span pane's one-line summary: what ran, how long, how much; only what the span has. */
export function spanSummary(span: Span): SummaryItem[] {
  const m = span.metrics ?? {};
  const items: SummaryItem[] = [{ label: "Type", value: span.type ?? "span" }];
  const model = span.metadata?.model;
  if (typeof model === "string" && model) items.push({ label: "Model", value: model });
  const start = spanStart(span);
  const end = spanEnd(span);
  if (end !== null && Number.isFinite(start)) items.push({ label: "Duration", value: formatDuration((end - start) * 1000) });
  if (typeof m.time_to_first_token === "number") items.push({ label: "TTFT", value: formatDuration(m.time_to_first_token * 1000) });
  if (typeof m.prompt_tokens === "number" || typeof m.completion_tokens === "number") {
    items.push({ label: "Tokens", value: `${formatTokens(m.prompt_tokens ?? null)} in · ${formatTokens(m.completion_tokens ?? null)} out` });
  }
  if (span.type === "llm" || typeof m.cost_usd === "number") items.push({ label: "Cost", value: formatCost(typeof m.cost_usd === "number" ? m.cost_usd : null) });
  const status = errorStatus(span) ?? (typeof span.metadata?.http_status === "number" ? span.metadata.http_status : null);
  if (status !== null) items.push({ label: "Status", value: String(status) });
  return items;
}

