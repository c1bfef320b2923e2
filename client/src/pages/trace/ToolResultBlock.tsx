import { createMemo, Show } from "solid-js";
import { FoldedText } from "../../components/FoldedText.tsx";
import { JsonView } from "../../components/JsonView.tsx";
import { toolResultText } from "../../lib/messages.ts";

/** A tool's result: text folded when long; JSON (even JSON sent as a string) as a collapsible tree. */
export function ToolResultBlock(props: { content: unknown; isError: boolean; label: string }) {
  const text = () => toolResultText(props.content);
  const json = createMemo(() => {
    const t = text();
    if (t === null) return { value: props.content };
    const trimmed = t.trimStart();
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return null;
    try {
      return { value: JSON.parse(t) as unknown };
    } catch {
      return null;
    }
  });
  return (
    <div class="tool-result" classList={{ error: props.isError }} data-result={props.isError ? "error" : "ok"}>
      <div class="tool-result-label">{props.isError ? `Error · ${props.label}` : props.label}</div>
      <Show when={json()} fallback={<FoldedText text={text() ?? ""} class="mono" />}>
        {(parsed) => <JsonView value={parsed().value} />}
      </Show>
    </div>
  );
}
