import { createResource, createSignal, For, Show } from "solid-js";
import { listFacets } from "../../api/traces.ts";
import type { TraceFilters } from "../../api/types.ts";
import { useContextFilters, type ContextParam } from "../../lib/context-url.ts";
import { Chip } from "./ContextChips.tsx";

/**
 * The list's user, session, tag and metadata filters, each a chip that removes it, and the metadata
 * filter builder: a key from the facets (the window's most common keys), a value, Add. All in the URL.
 */
export function ContextFilterBar(props: { filters: TraceFilters }) {
  const url = useContextFilters();
  // The keys are an aggregate over the window's traces: fetched once the builder is about to be used,
  // never on the way to the first rows (as TraceFiltersBar does).
  const [wanted, setWanted] = createSignal(false);
  const [facets] = createResource(() => wanted() && { project: props.filters.project }, ({ project }) => listFacets(project));
  const [key, setKey] = createSignal("");
  const [value, setValue] = createSignal("");
  const active = () => {
    const chips: { kind: string; param: ContextParam; value: string }[] = [];
    if (props.filters.user) chips.push({ kind: "user", param: "user", value: props.filters.user });
    if (props.filters.session) chips.push({ kind: "session", param: "session", value: props.filters.session });
    for (const tag of props.filters.tag ?? []) chips.push({ kind: "tag", param: "tag", value: tag });
    for (const [k, v] of Object.entries(props.filters.metadata ?? {})) chips.push({ kind: k, param: `metadata.${k}`, value: v });
    return chips;
  };
  const add = (event: Event) => {
    event.preventDefault();
    const k = key().trim();
    if (!k || !value().trim()) return;
    url.add(`metadata.${k}`, value().trim());
    setValue("");
  };
  return (
    <div class="context-filters">
      <form class="metadata-builder" onSubmit={add} aria-label="Metadata filter" onPointerEnter={() => setWanted(true)} onFocusIn={() => setWanted(true)}>
        <select class="input" name="metadata-key" value={key()} onChange={(e) => setKey(e.currentTarget.value)}>
          <option value="">Metadata key…</option>
          <For each={facets()?.metadata_keys ?? []}>
            {(facet) => <option value={facet.value}>{`${facet.value} (${facet.count.toLocaleString("en-US")})`}</option>}
          </For>
        </select>
        <input class="input" name="metadata-value" placeholder="value" value={value()} onInput={(e) => setValue(e.currentTarget.value)} />
        <button type="submit" class="button ghost" disabled={!key() || !value().trim()}>
          Add filter
        </button>
      </form>
      <Show when={active().length}>
        <div class="context-chips active-filters">
          <For each={active()}>{(chip) => <Chip kind={chip.kind} param={chip.param} value={chip.value} onPick={url.remove} removable />}</For>
        </div>
      </Show>
    </div>
  );
}
