import { Show } from "solid-js";
import { JsonView } from "../../components/JsonView.tsx";
import { toolResultText } from "../../lib/messages.ts";

export function ToolResultBlock(props: { content: unknown; isError: boolean; label: string }) {
  const text = () => toolResultText(props.content);
  return (
    <div class="tool-result" classList={{ error: props.isError }}>
      <div class="tool-result-label">{props.isError ? "Error" : props.label}</div>
      <Show when={text() !== null} fallback={<JsonView value={props.content} />}>
        <div class="text mono">{text()}</div>
      </Show>
    </div>
  );
}
