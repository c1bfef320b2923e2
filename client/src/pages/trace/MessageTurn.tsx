import { Index, Match, Show, Switch } from "solid-js";
import { FoldedText } from "../../components/FoldedText.tsx";
import { Icon } from "../../components/Icon.tsx";
import { ImagePart } from "../../components/ImagePart.tsx";
import { JsonView } from "../../components/JsonView.tsx";
import type { ToolOutcome, Turn } from "../../lib/conversation.ts";
import { looksLikeMarkdown } from "../../lib/markdown.ts";
import type { Part } from "../../lib/messages.ts";
import { markdownOn } from "../../lib/text-mode.ts";
import { ToolCallCard } from "./ToolCallCard.tsx";
import { ToolResultBlock } from "./ToolResultBlock.tsx";

export function MessageTurn(props: {
  turn: Turn;
  outcomes: Map<string, ToolOutcome>;
  selected: boolean;
  /** The trace is still running: a call without a result may still get one. */
  running: boolean;
  onSelect: (spanId: string) => void;
}) {
  const select = () => props.turn.spanId && props.onSelect(props.turn.spanId);
  return (
    <article
      class="turn"
      classList={{ selected: props.selected, streaming: props.turn.streaming, failed: props.turn.parts.some((p) => p.kind === "error") }}
      data-role={props.turn.role}
      data-span-id={props.turn.spanId ?? undefined}
      onClick={select}
    >
      <div class="turn-role">
        <Icon name={props.turn.role} />
        {roleLabel(props.turn)}
      </div>
      <div class="turn-body">
        <Index each={props.turn.parts}>
          {(part, i) => (
            <PartView
              part={part()}
              role={props.turn.role}
              outcomes={props.outcomes}
              running={props.running}
              cursor={props.turn.streaming && i === props.turn.parts.length - 1}
            />
          )}
        </Index>
        {props.turn.streaming && !endsWithText(props.turn) && <StreamCursor />}
      </div>
    </article>
  );
}

/** Where a streaming answer's next tokens will appear. */
function StreamCursor() {
  return <span class="stream-cursor" aria-label="streaming" />;
}

function endsWithText(turn: Turn): boolean {
  return turn.parts.at(-1)?.kind === "text";
}

function PartView(props: { part: Part; role: string; outcomes: Map<string, ToolOutcome>; running: boolean; cursor: boolean }) {
  return (
    <Switch>
      <Match when={props.part.kind === "text" && props.part}>
        {(part) => (
          <Show when={!props.cursor} fallback={<div class="text">{part().text}<StreamCursor /></div>}>
            <FoldedText text={part().text} markdown={props.role === "assistant" && markdownOn() && looksLikeMarkdown(part().text)} />
          </Show>
        )}
      </Match>
      <Match when={props.part.kind === "thinking" && props.part}>
        {(part) => (
          <details class="thinking">
            <summary>
              <Icon name="thinking" /> Thinking
            </summary>
            <FoldedText text={part().text} />
          </details>
        )}
      </Match>
      <Match when={props.part.kind === "tool_call" && props.part}>
        {(part) => <ToolCallCard call={part()} outcome={props.outcomes.get(part().id)} running={props.running} />}
      </Match>
      <Match when={props.part.kind === "tool_result" && props.part}>
        {(part) => <ToolResultBlock content={part().content} isError={part().isError} label={`Result for ${part().toolCallId}`} />}
      </Match>
      <Match when={props.part.kind === "attachment" && props.part}>
        {(part) => <div class="attachment">[{part().label} attachment — not displayed]</div>}
      </Match>
      <Match when={props.part.kind === "image" && props.part}>{(part) => <ImagePart dataUrl={part().dataUrl} url={part().url} />}</Match>
      <Match when={props.part.kind === "error" && props.part}>
        {(part) => (
          <div class="call-error" role="alert">
            <strong>Failed{part().status !== null ? ` · HTTP ${part().status}` : ""}</strong>
            <FoldedText text={part().message} />
          </div>
        )}
      </Match>
      <Match when={props.part.kind === "data" && props.part}>{(part) => <JsonView value={part().value} />}</Match>
    </Switch>
  );
}

function roleLabel(turn: Turn): string {
  if (turn.toolSpan) return "Tool";
  return turn.role.charAt(0).toUpperCase() + turn.role.slice(1);
}
