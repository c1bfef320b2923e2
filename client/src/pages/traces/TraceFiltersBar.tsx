import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { listExperiments } from "../../api/experiments.ts";
import { listFacets } from "../../api/traces.ts";
import type { Facet, TraceFilters } from "../../api/types.ts";

// stale: running with no write for 10 minutes (the server's status=stale).
const STATUSES = [
  { value: "running", text: "running" },
  { value: "stale", text: "stale (no update in 10 min)" },
  { value: "ok", text: "ok" },
  { value: "error", text: "error" },
  { value: "cancelled", text: "cancelled" },
];
const PROVIDERS = ["openai", "anthropic"];

export function TraceFiltersBar(props: { filters: TraceFilters; onChange: (key: keyof TraceFilters, value: string) => void }) {
  // Project totals are an aggregate over every trace (heavy with 100k of them, and
  // PGlite runs it on the server's only thread): fetched only when the filters are
  // about to be used, never on the way to the first rows.
  const [wanted, setWanted] = createSignal(false);
  const [experiments] = createResource(wanted, () => listExperiments().catch(() => []));
  // Known providers and models of the project, with counts; null from a server without facets.
  const [facets] = createResource(
    () => wanted() && { project: props.filters.project },
    ({ project }) => listFacets(project),
  );
  const providers = () => withCurrent(facets()?.providers.map(label) ?? PROVIDERS.map((value) => ({ value, text: value })), props.filters.provider);
  const models = () => withCurrent((facets()?.models ?? []).map(label), props.filters.model);
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
      <FilterSelect name="project" label="All projects" options={projects().map((value) => ({ value, text: value }))} value={props.filters.project} onChange={props.onChange} />
      <FilterSelect name="provider" label="Any provider" options={providers()} value={props.filters.provider} onChange={props.onChange} />
      <Show
        when={facets()}
        fallback={
          <input
            class="input"
            name="model"
            placeholder="Model"
            value={props.filters.model ?? ""}
            onInput={(e) => debounced("model", e.currentTarget.value)}
          />
        }
      >
        <FilterSelect name="model" label="Any model" options={models()} value={props.filters.model} onChange={props.onChange} />
      </Show>
      <FilterSelect name="status" label="Any status" options={STATUSES} value={props.filters.status} onChange={props.onChange} />
    </form>
  );
}

type Option = { value: string; text: string };

const label = (facet: Facet): Option => ({ value: facet.value, text: `${facet.value} (${facet.count.toLocaleString("en-US")})` });

/** The options, with the value chosen now among them even when no trace in the window has it. */
const withCurrent = (options: Option[], current: string | undefined): Option[] =>
  current && !options.some((o) => o.value === current) ? [{ value: current, text: current }, ...options] : options;

function FilterSelect(props: {
  name: keyof TraceFilters;
  label: string;
  options: Option[];
  value: string | undefined;
  onChange: (key: keyof TraceFilters, value: string) => void;
}) {
  return (
    <select class="input" name={props.name} value={props.value ?? ""} onChange={(e) => props.onChange(props.name, e.currentTarget.value)}>
      <option value="">{props.label}</option>
      {/* `selected` too: options that load after the value was set must still show it. */}
      <For each={props.options}>
        {(option) => (
          <option value={option.value} selected={option.value === props.value}>
            {option.text}
          </option>
        )}
      </For>
    </select>
  );
}
