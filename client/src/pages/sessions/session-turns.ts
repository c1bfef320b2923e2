import type { TraceSummary } from "../../api/types.ts";
import { readInputMessages, readOutputMessages, type ChatMessage } from "../../lib/messages.ts";

/** One turn of a session as the session view shows it: what the user said, what came back. */
export type SessionTurn = { trace: TraceSummary; asked: string; answered: string };

const textOf = (message: ChatMessage | undefined): string =>
  (message?.parts ?? [])
    .map((part) => (part.kind === "text" ? part.text : part.kind === "tool_call" ? `→ ${part.name}(…)` : part.kind === "data" ? JSON.stringify(part.value) : ""))
    .filter(Boolean)
    .join("\n");

/**
 * A trace as a turn: the last user message of its input (a chat sends the whole history each turn,
 * and only the last message is this turn's), and its output's text.
 */
export function turnOf(trace: TraceSummary): SessionTurn {
  const input = readInputMessages(trace.input);
  const lastUser = [...input].reverse().find((m) => m.role === "user") ?? input.at(-1);
  const output = readOutputMessages(trace.output);
  return { trace, asked: textOf(lastUser), answered: output.map(textOf).filter(Boolean).join("\n") };
}

const time = (t: TraceSummary["start_time"]) => (t === null || t === undefined ? NaN : typeof t === "number" ? t * 1000 : Date.parse(t));

/** The session's totals, from its traces (so they follow live turns): turns, duration, tokens, cost, errors. */
export function sessionTotals(traces: TraceSummary[]) {
  const starts = traces.map((t) => time(t.start_time)).filter((n) => !Number.isNaN(n));
  const ends = traces.map((t) => time(t.end_time ?? null)).filter((n) => !Number.isNaN(n));
  const sum = (pick: (t: TraceSummary) => number | null | undefined) =>
    traces.some((t) => typeof pick(t) === "number") ? traces.reduce((n, t) => n + (pick(t) ?? 0), 0) : null;
  return {
    turns: traces.length,
    durationMs: starts.length && ends.length ? Math.max(...ends) - Math.min(...starts) : null,
    tokens: sum((t) => t.total_tokens),
    cost: sum((t) => t.cost_usd),
    errors: traces.filter((t) => t.status === "error" || (t.error_count ?? 0) > 0).length,
  };
}

/** The turns with a live trace put in (updated in place, or added), oldest first. */
export function withTrace(traces: TraceSummary[], trace: TraceSummary): TraceSummary[] {
  const others = traces.filter((t) => t.id !== trace.id);
  return [...others, trace].sort((a, b) => time(a.start_time) - time(b.start_time) || (a.id < b.id ? -1 : 1));
}
