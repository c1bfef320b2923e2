import { For, Show } from "solid-js";
import type { TraceSummary } from "../../api/types.ts";
import { useContextFilters, type ContextParam } from "../../lib/context-url.ts";

/** A trace's user, session and tags as chips; clicking one filters the list by it. */
export function ContextChips(props: { trace: TraceSummary }) {
  const filters = useContextFilters();
  return (
    <span class="context-chips">
      <Show when={props.trace.user_id}>
        <Chip kind="user" param="user" value={props.trace.user_id!} onPick={filters.add} />
      </Show>
      <Show when={props.trace.session_id}>
        <Chip kind="session" param="session" value={props.trace.session_id!} onPick={filters.add} />
      </Show>
      <For each={props.trace.tags ?? []}>{(tag) => <Chip kind="tag" param="tag" value={tag} onPick={filters.add} />}</For>
    </span>
  );
}

/**
 * One chip. Inside a row that is itself a link, so the click is kept from following it. A span with
 * role button, not a button: a button may not sit inside a link.
 */
export function Chip(props: { kind: string; param: ContextParam; value: string; onPick: (param: ContextParam, value: string) => void; removable?: boolean }) {
  const pick = (event: Event) => {
    event.preventDefault();
    event.stopPropagation();
    props.onPick(props.param, props.value);
  };
  return (
    <span
      class="chip"
      data-kind={props.kind}
      role="button"
      tabindex="0"
      title={props.removable ? `Remove the filter ${props.param}=${props.value}` : `Show only traces with ${props.param}=${props.value}`}
      onClick={pick}
      onKeyDown={(e) => (e.key === "Enter" || e.key === " ") && pick(e)}
    >
      <span class="chip-kind">{props.kind}</span>
      {props.value}
      <Show when={props.removable}>
        <span class="chip-remove" aria-hidden="true">×</span>
      </Show>
    </span>
  );
}
