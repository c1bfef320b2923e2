import { createMemo, createSelector, createSignal, Index, onCleanup, Show } from "solid-js";
import type { Span, TraceSummary } from "../../api/types.ts";
import { EmptyState } from "../../components/States.tsx";
import { buildConversation, isAnsweredToolResults } from "../../lib/conversation.ts";
import { markdownOn, setMarkdownOn } from "../../lib/text-mode.ts";
import { MessageTurn } from "./MessageTurn.tsx";

const FIRST_TURNS = 300;
/** Drawn before the first paint; the rest of the first 300 follow in later frames. */
const FIRST_PAINT_TURNS = 20;
const TURNS_PER_FRAME = 25;

export function ConversationView(props: {
  trace: TraceSummary;
  spans: Span[];
  selected: string | null;
  /** Still running (and not stale): tool calls without results may still get them. */
  running: boolean;
  onSelect: (spanId: string) => void;
}) {
  const conversation = createMemo(() => buildConversation(props.spans, { input: props.trace.input, output: props.trace.output }));
  const callIds = createMemo(() => {
    const ids = new Set<string>();
    for (const turn of conversation().turns) for (const part of turn.parts) if (part.kind === "tool_call") ids.add(part.id);
    return ids;
  });
  // Result-only turns are drawn inside the tool call they answer.
  const turns = createMemo(() => conversation().turns.filter((t) => !isAnsweredToolResults(t, conversation(), callIds())));
  const [limit, setLimit] = createSignal(FIRST_PAINT_TURNS);
  // A 2,000-span run has thousands of turns: the first screen paints first, the next ones fill in after.
  let frame = requestAnimationFrame(function grow() {
    if (limit() >= FIRST_TURNS) return;
    setLimit(Math.min(FIRST_TURNS, limit() + TURNS_PER_FRAME));
    frame = requestAnimationFrame(grow);
  });
  onCleanup(() => cancelAnimationFrame(frame));
  // Only the turns whose selection changes update when j/k moves, not all 300.
  const isSelected = createSelector(() => props.selected);

  return (
    <div class="conversation">
      <div class="conversation-bar">
        <span class="muted small">{turns().length} {turns().length === 1 ? "message" : "messages"}</span>
        <button type="button" class="link-button small" aria-pressed={!markdownOn()} onClick={() => setMarkdownOn(!markdownOn())}>
          {markdownOn() ? "Show raw text" : "Render Markdown"}
        </button>
      </div>
      <Show when={turns().length} fallback={<EmptyState title="No messages captured">This trace has no LLM input or output to show.</EmptyState>}>
        <Index each={turns().slice(0, limit())}>
          {(turn) => (
            <MessageTurn
              turn={turn()}
              outcomes={conversation().outcomes}
              selected={turn().spanId !== null && isSelected(turn().spanId)}
              running={props.running}
              onSelect={props.onSelect}
            />
          )}
        </Index>
        <Show when={turns().length > limit() && limit() >= FIRST_TURNS}>
          <button type="button" class="button ghost" onClick={() => setLimit(limit() + FIRST_TURNS * 5)}>
            Show {Math.min(turns().length - limit(), FIRST_TURNS * 5)} more messages
          </button>
        </Show>
      </Show>
    </div>
  );
}
