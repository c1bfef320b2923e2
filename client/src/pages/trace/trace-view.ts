import { batch, createSignal, onCleanup, type Accessor } from "solid-js";
import { connectLive, type LiveStatus } from "../../api/live.ts";
import { ApiError } from "../../api/http.ts";
import { getTrace } from "../../api/traces.ts";
import type { Score, Span, TraceSummary } from "../../api/types.ts";
import { createFrameBatch } from "../../lib/frame-batch.ts";

type Change = { trace?: TraceSummary; span?: Span };

/**
 * One trace and its spans, kept current by the live feed. The feed opens
 * before the fetch, and changes that arrive meanwhile are applied after it,
 * so nothing between the two is lost.
 */
export function createTraceView(id: Accessor<string>) {
  const [trace, setTrace] = createSignal<TraceSummary | null>(null);
  const [spans, setSpans] = createSignal<Span[]>([]);
  // Every score of the trace, as it loaded; the Scores panel adds the ones given here.
  const [scores, setScores] = createSignal<Score[]>([]);
  const [state, setState] = createSignal<"loading" | "ready" | "error">("loading");
  const [error, setError] = createSignal("");
  // No trace with this id (yet): a page of its own, not "Something went wrong".
  const [missing, setMissing] = createSignal(false);
  const [liveStatus, setLiveStatus] = createSignal<LiveStatus>("connecting");
  const byId = new Map<string, Span>();
  let waiting: Change[] | null = [];

  const apply = (changes: Change[]) => {
    if (waiting) return void waiting.push(...changes);
    batch(() => {
      let spansChanged = false;
      for (const change of changes) {
        if (change.trace) setTrace(change.trace);
        if (change.span) {
          // Merged, not replaced: a progress event may carry only the fields that moved.
          byId.set(change.span.id, { ...byId.get(change.span.id), ...change.span });
          spansChanged = true;
        }
      }
      if (spansChanged) setSpans([...byId.values()]);
    });
  };
  const pending = createFrameBatch<Change>(apply);

  async function load() {
    waiting = waiting ?? [];
    setState("loading");
    try {
      const detail = await getTrace(id());
      byId.clear();
      for (const span of detail.spans) byId.set(span.id, span);
      batch(() => {
        setTrace(detail.trace);
        setSpans([...byId.values()]);
        setScores(detail.scores);
        setMissing(false);
        setState("ready");
      });
      const queued = waiting;
      waiting = null;
      apply(queued);
    } catch (cause) {
      batch(() => {
        setError((cause as Error).message);
        setMissing(cause instanceof ApiError && cause.status === 404);
        setState("error");
      });
    }
  }

  const close = connectLive(
    { traceId: id() },
    {
      onTrace: (t) => {
        // Opened before the trace was stored: it exists now, so load it.
        if (state() === "error") void load();
        else pending.push({ trace: t });
      },
      onSpan: (s) => pending.push({ span: s }),
      onReset: () => void load(),
      onStatus: setLiveStatus,
    },
  );
  onCleanup(close);
  void load();

  return { trace, spans, scores, setScores, state, error, missing, liveStatus, reload: load };
}

export type TraceView = ReturnType<typeof createTraceView>;
