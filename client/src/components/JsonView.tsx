import { createSignal, For, Match, Show, Switch } from "solid-js";
import { FOLD_CHARS } from "../lib/fold.ts";
import { CopyButton } from "./CopyButton.tsx";

const PREVIEW_ITEMS = 100;

/**
 * Collapsible JSON, every value drawn as text. Opens two levels by default and
 * shows the first 100 entries of a long list until asked for more.
 */
export function JsonView(props: { value: unknown; depth?: number; label?: string }) {
  const depth = () => props.depth ?? 0;
  return (
    <Switch fallback={<JsonLeaf label={props.label} value={props.value} />}>
      <Match when={isContainer(props.value)}>
        <JsonNode label={props.label} value={props.value as object} depth={depth()} />
      </Match>
    </Switch>
  );
}

function JsonNode(props: { label?: string; value: object; depth: number }) {
  const [open, setOpen] = createSignal(props.depth < 2);
  const [limit, setLimit] = createSignal(PREVIEW_ITEMS);
  const entries = () => Object.entries(props.value);
  const isArray = () => Array.isArray(props.value);
  const summary = () => (isArray() ? `[${entries().length}]` : `{${entries().length}}`);
  return (
    <div class="json-node">
      <button type="button" class="json-toggle" aria-expanded={open()} onClick={() => setOpen(!open())}>
        <span class="json-caret">{open() ? "▾" : "▸"}</span>
        <Show when={props.label !== undefined}>
          <span class="json-key">{props.label}</span>
          <span class="json-punct">: </span>
        </Show>
        <span class="json-summary">{summary()}</span>
      </button>
      <Show when={open()}>
        <div class="json-children">
          <For each={entries().slice(0, limit())}>
            {(entry) => <JsonView label={entry[0]} value={entry[1]} depth={props.depth + 1} />}
          </For>
          <Show when={entries().length > limit()}>
            <button type="button" class="link-button" onClick={() => setLimit(limit() + PREVIEW_ITEMS * 10)}>
              Show more ({entries().length - limit()} hidden)
            </button>
          </Show>
        </div>
      </Show>
    </div>
  );
}

/** Strings over 2 KB (a base64 image, a whole document) are cut until asked, with their full value one click away. */
function JsonLeaf(props: { label?: string; value: unknown }) {
  const [all, setAll] = createSignal(false);
  const long = () => typeof props.value === "string" && props.value.length > FOLD_CHARS;
  const text = () => (long() && !all() ? (props.value as string).slice(0, FOLD_CHARS) : leafText(props.value));
  return (
    <div class="json-leaf">
      <Show when={props.label !== undefined}>
        <span class="json-key">{props.label}</span>
        <span class="json-punct">: </span>
      </Show>
      <span class={`json-${typeof props.value}`}>{text()}</span>
      <Show when={long()}>
        <span class="json-cut">
          <Show when={!all()}>… </Show>
          <button type="button" class="link-button" onClick={(e) => (e.stopPropagation(), setAll(!all()))}>
            {all() ? "show less" : `show all (${Math.round((props.value as string).length / 1024)} KB)`}
          </button>
          <CopyButton value={() => props.value as string} label="copy value" />
        </span>
      </Show>
    </div>
  );
}

function isContainer(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

function leafText(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "string") return value;
  return String(value);
}
