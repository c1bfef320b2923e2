import { Show } from "solid-js";
import { Icon } from "../../components/Icon.tsx";
import { JsonView } from "../../components/JsonView.tsx";
import type { ToolOutcome } from "../../lib/conversation.ts";
import { ToolResultBlock } from "./ToolResultBlock.tsx";

export function ToolCallCard(props: {
  call: { id: string; name: string; input: unknown };
  outcome: ToolOutcome | undefined;
  running: boolean;
}) {
  return (
    <div class="tool-call" classList={{ failed: props.outcome?.isError }} data-tool-call-id={props.call.id} data-span-id={props.outcome?.spanId ?? undefined}>
      <div class="tool-call-head">
        <Icon name="tool" class="tool-icon" />
        <span class="tool-name">{props.call.name}</span>
        <span class="mono muted small">{props.call.id.startsWith("span:") ? "" : props.call.id}</span>
      </div>
      <div class="tool-args">
        <JsonView value={props.call.input} />
      </div>
      <Show
        when={props.outcome}
        fallback={
          <div class="muted small tool-pending">
            {props.running ? "Waiting for result…" : "Result not in this trace: the caller ran the tool and sent its result in a later request (a later trace)."}
          </div>
        }
      >
        {(outcome) => <ToolResultBlock content={outcome().content} isError={outcome().isError} label="Result" />}
      </Show>
    </div>
  );
}
