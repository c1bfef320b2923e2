import { createResource, createSignal, For, onCleanup } from "solid-js";
import { listExperiments } from "../../api/experiments.ts";
import type { TraceFilters } from "../../api/types.ts";

const STATUSES = ["running", "ok", "error", "cancelled"];
const PROVIDERS = ["openai", "anthropic"];

export function TraceFiltersBar(props: { filters: TraceFilters; onChange: (key: keyof TraceFilters, value: string) => void }) {
  // Project totals are an aggregate over every trace (heavy with 100k of them, and
  // PGlite runs it on the server's only thread): fetched only when the filters are
  // about to be used, never on the way to the first rows.
  const [wanted, setWanted] = createSignal(false);
  const [experiments] = createResource(wanted, () => listExperiments().catch(() => []));
  const projects = () => {
    const names = (experiments() ?? []).map((e) => e.project);
    const current = props.filters.project;
    return current && !names.includes(current) ? [current, ...names] : names;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  // Typing settles for a moment before the list refetches.
  const debounced = (key: keyof TraceFilters, value: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => props.onChange(key, value.trim()), 300);
  };

  return (
    <form
      class="filters"
      role="search"
      onSubmit={(e) => e.preventDefault()}
      onPointerEnter={() => setWanted(true)}
      onFocusIn={() => setWanted(true)}
    >
      <input
        class="input search"
        type="search"
        name="q"
        placeholder="Search names, inputs, outputs…"
        value={props.filters.q ?? ""}
        onInput={(e) => debounced("q", e.currentTarget.value)}
      />
      <FilterSelect name="project" label="All projects" options={projects()} value={props.filters.project} onChange={props.onChange} />
      <FilterSelect name="provider" label="Any provider" options={PROVIDERS} value={props.filters.provider} onChange={props.onChange} />
      <input
        class="input"
        name="model"
        placeholder="Model"
        value={props.filters.model ?? ""}
        onInput={(e) => debounced("model", e.currentTarget.value)}
      />
      <FilterSelect name="status" label="Any status" options={STATUSES} value={props.filters.status} onChange={props.onChange} />
    </form>
  );
}

function FilterSelect(props: {
  name: keyof TraceFilters;
  label: string;
  options: string[];
  value: string | undefined;
  onChange: (key: keyof TraceFilters, value: string) => void;
}) {
  return (
    <select class="input" name={props.name} value={props.value ?? ""} onChange={(e) => props.onChange(props.name, e.currentTarget.value)}>
      <option value="">{props.label}</option>
      {/* `selected` too: options that load after the value was set must still show it. */}
      <For each={props.options}>
        {(name) => (
          <option value={name} selected={name === props.value}>
            {name}
          </option>
        )}
      </For>
    </select>
  );
}
