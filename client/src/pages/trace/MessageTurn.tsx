import { Index, Match, Switch } from "solid-js";
import { Icon } from "../../components/Icon.tsx";
import { JsonView } from "../../components/JsonView.tsx";
import type { ToolOutcome, Turn } from "../../lib/conversation.ts";
import type { Part } from "../../lib/messages.ts";
import { ToolCallCard } from "./ToolCallCard.tsx";
import { ToolResultBlock } from "./ToolResultBlock.tsx";

export function MessageTurn(props: {
  turn: Turn;
  outcomes: Map<string, ToolOutcome>;
  selected: boolean;
  onSelect: (spanId: string) => void;
}) {
  const select = () => props.turn.spanId && props.onSelect(props.turn.spanId);
  return (
    <article
      class="turn"
      classList={{ selected: props.selected, streaming: props.turn.streaming }}
      data-role={props.turn.role}
      onClick={select}
    >
      <div class="turn-role">
        <Icon name={props.turn.role} />
        {roleLabel(props.turn)}
      </div>
      <div class="turn-body">
        <Index each={props.turn.parts}>
          {(part, i) => <PartView part={part()} outcomes={props.outcomes} cursor={props.turn.streaming && i === props.turn.parts.length - 1} />}
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

function PartView(props: { part: Part; outcomes: Map<string, ToolOutcome>; cursor: boolean }) {
  return (
    <Switch>
      <Match when={props.part.kind === "text" && props.part}>
        {(part) => (
          <div class="text">
            {part().text}
            {props.cursor && <StreamCursor />}
          </div>
        )}
      </Match>
      <Match when={props.part.kind === "thinking" && props.part}>
        {(part) => (
          <details class="thinking">
            <summary>
              <Icon name="thinking" /> Thinking
            </summary>
            <div class="text">{part().text}</div>
          </details>
        )}
      </Match>
      <Match when={props.part.kind === "tool_call" && props.part}>
        {(part) => <ToolCallCard call={part()} outcome={props.outcomes.get(part().id)} />}
      </Match>
      <Match when={props.part.kind === "tool_result" && props.part}>
        {(part) => <ToolResultBlock content={part().content} isError={part().isError} label={`Result for ${part().toolCallId}`} />}
      </Match>
      <Match when={props.part.kind === "attachment" && props.part}>
        {(part) => <div class="attachment">[{part().label} attachment — not displayed]</div>}
      </Match>
      <Match when={props.part.kind === "data" && props.part}>{(part) => <JsonView value={part().value} />}</Match>
    </Switch>
  );
}

function roleLabel(turn: Turn): string {
  if (turn.toolSpan) return "Tool";
  return turn.role.charAt(0).toUpperCase() + turn.role.slice(1);
}
