import { createSignal, For, Show, type Accessor } from "solid-js";
import { postScore } from "../../api/scores.ts";
import type { Score, Span } from "../../api/types.ts";
import { formatTime } from "../../lib/format.ts";

/** The score a thumb gives: 1 up, 0 down (Braintrust's 0–1 range). */
export const FEEDBACK_NAME = "user_feedback";

const valueText = (score: Score) =>
  score.label ?? (score.name === FEEDBACK_NAME && (score.value === 0 || score.value === 1) ? (score.value ? "▲ good (1)" : "▼ bad (0)") : String(Number(score.value?.toFixed(4))));

/**
 * Every score of the trace with its source, author and comment, and the dashboard's own feedback:
 * a thumb up or down and a comment, posted as a `user_feedback` score (source `ui`) on the trace or on
 * the selected span. Giving it again on the same target updates that score, not another one.
 */
export function ScoresPanel(props: {
  traceId: string;
  scores: Accessor<Score[]>;
  setScores: (scores: Score[]) => void;
  selectedSpan: Span | null;
  rootSpanId: string | null;
}) {
  const [target, setTarget] = createSignal<"trace" | "span">("trace");
  const [comment, setComment] = createSignal("");
  const [sending, setSending] = createSignal(false);
  const [error, setError] = createSignal("");
  // A root span's feedback is the trace's.
  const spanTarget = () => (props.selectedSpan && props.selectedSpan.id !== props.rootSpanId ? props.selectedSpan : null);
  const spanIdOf = () => (target() === "span" ? (spanTarget()?.id ?? null) : null);
  const mine = () => props.scores().find((s) => s.name === FEEDBACK_NAME && s.source === "ui" && (s.span_id ?? null) === spanIdOf());

  async function send(value: 0 | 1) {
    setSending(true);
    setError("");
    const existing = mine();
    const text = comment().trim();
    try {
      const id = await postScore({
        ...(existing && { id: existing.id }),
        trace_id: props.traceId,
        ...(spanIdOf() && { span_id: spanIdOf() }),
        name: FEEDBACK_NAME,
        value,
        ...(text ? { comment: text } : existing?.comment ? { comment: existing.comment } : {}),
        source: "ui",
      });
      const now = new Date().toISOString();
      const score: Score = {
        id, trace_id: props.traceId, span_id: spanIdOf(), name: FEEDBACK_NAME, value, label: null,
        comment: text || existing?.comment || null, source: "ui", author: null, created_at: existing?.created_at ?? now, updated_at: now,
      };
      props.setScores([...props.scores().filter((s) => s.id !== id), score]);
      setComment("");
    } catch (cause) {
      setError((cause as Error).message);
    } finally {
      setSending(false);
    }
  }

  return (
    <div class="scores">
      <form class="feedback" onSubmit={(e) => e.preventDefault()} aria-label="Give feedback">
        <div class="feedback-target row">
          <label>
            <input type="radio" name="feedback-target" checked={target() === "trace"} onChange={() => setTarget("trace")} /> Trace
          </label>
          <label title={spanTarget() ? "" : "Select a span below the root in the tree to score it"}>
            <input type="radio" name="feedback-target" disabled={!spanTarget()} checked={target() === "span" && !!spanTarget()} onChange={() => setTarget("span")} />{" "}
            Span <span class="muted ellipsis">{spanTarget()?.name ?? ""}</span>
          </label>
        </div>
        <textarea class="input feedback-comment" name="comment" rows={2} maxLength={10_000} placeholder="Comment (optional)" value={comment()} onInput={(e) => setComment(e.currentTarget.value)} />
        <div class="row feedback-buttons">
          <button type="button" class="button ghost thumb" data-thumb="up" aria-pressed={mine()?.value === 1} disabled={sending()} onClick={() => void send(1)} title="Good: user_feedback 1">
            ▲ Good
          </button>
          <button type="button" class="button ghost thumb" data-thumb="down" aria-pressed={mine()?.value === 0} disabled={sending()} onClick={() => void send(0)} title="Bad: user_feedback 0">
            ▼ Bad
          </button>
          <Show when={error()}>
            <span class="state-error small">{error()}</span>
          </Show>
        </div>
      </form>
      <Show when={props.scores().length} fallback={<p class="muted small">No scores yet.</p>}>
        <ul class="score-list">
          <For each={props.scores()}>
            {(score) => (
              <li class="score-item" data-score-name={score.name} data-score-source={score.source}>
                <div class="row">
                  <strong class="ellipsis">{score.name}</strong>
                  <span class="score-value mono">{valueText(score)}</span>
                </div>
                <div class="muted small">
                  {score.source}
                  {score.author ? ` · ${score.author}` : ""}
                  {score.span_id && score.span_id !== props.rootSpanId ? ` · span ${score.span_id}` : " · trace"}
                  {` · ${formatTime(score.updated_at)}`}
                </div>
                <Show when={score.comment}>
                  <p class="score-comment">{score.comment}</p>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
