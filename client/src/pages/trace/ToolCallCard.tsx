import { Show } from "solid-js";
import { Icon } from "../../components/Icon.tsx";
import { JsonView } from "../../components/JsonView.tsx";
import type { ToolOutcome } from "../../lib/conversation.ts";
import { ToolResultBlock } from "./ToolResultBlock.tsx";

export function ToolCallCard(props: {
  call: { id: string; name: string; input: unknown };
  outcome: ToolOutcome | undefined;
}) {
  return (
    <div class="tool-call" data-tool-call-id={props.call.id}>
      <div class="tool-call-head">
        <Icon name="tool" class="tool-icon" />
        <span class="tool-name">{props.call.name}</span>
        <span class="mono muted small">{props.call.id.startsWith("span:") ? "" : props.call.id}</span>
      </div>
      <div class="tool-args">
        <JsonView value={props.call.input} />
      </div>
      <Show when={props.outcome} fallback={<div class="muted small">Waiting for result…</div>}>
        {(outcome) => <ToolResultBlock content={outcome().content} isError={outcome().isError} label="Result" />}
      </Show>
    </div>
  );
}
