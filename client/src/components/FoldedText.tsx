import { createMemo, createSignal, Show } from "solid-js";
import { foldText, hiddenLabel } from "../lib/fold.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import { CopyButton } from "./CopyButton.tsx";

/**
 * Text cut to its first 30 lines or 2 KB until asked: the DOM holds only the preview, so a
 * 216 KB answer costs what a short one does. `markdown` renders it (sanitised) instead of as text.
 */
export function FoldedText(props: { text: string; markdown?: boolean; class?: string }) {
  const [all, setAll] = createSignal(false);
  const folded = createMemo(() => foldText(props.text));
  const shown = () => (all() || !folded() ? props.text : folded()!.preview);
  return (
    <div class="folded" classList={{ "is-folded": !!folded() && !all() }}>
      <Show when={props.markdown} fallback={<div class={`text ${props.class ?? ""}`}>{shown()}</div>}>
        <div class="markdown" innerHTML={renderMarkdown(shown())} />
      </Show>
      <Show when={folded()}>
        {(f) => (
          <div class="fold-actions">
            <button type="button" class="link-button" onClick={(e) => (e.stopPropagation(), setAll(!all()))}>
              {all() ? "Show less" : `Show all (${hiddenLabel(f())})`}
            </button>
            <CopyButton value={() => props.text} label="Copy text" />
          </div>
        )}
      </Show>
    </div>
  );
}
