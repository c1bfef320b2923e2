import { For, onCleanup, Show } from "solid-js";
import type { TraceFilters } from "../../api/types.ts";

type ScoreKey = "score_name" | "score_min" | "score_max";

/** Traces with a score of a name, its value within a range: the list's score_name / score_min / score_max. */
export function ScoreFilter(props: { names: string[]; filters: TraceFilters; onChange: (key: keyof TraceFilters, value: string) => void }) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  // A bound typed settles for a moment before the list refetches.
  const debounced = (key: ScoreKey, value: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => props.onChange(key, value.trim()), 300);
  };
  // Bounds without a name mean nothing (the API refuses them): they go with it.
  const pick = (name: string) => {
    if (!name) for (const key of ["score_min", "score_max", "score_label"] as const) props.onChange(key, "");
    props.onChange("score_name", name);
  };
  const names = () => (props.filters.score_name && !props.names.includes(props.filters.score_name) ? [props.filters.score_name, ...props.names] : props.names);
  return (
    <Show when={names().length}>
      <form class="filters score-filter" onSubmit={(e) => e.preventDefault()} aria-label="Score filter">
        <select class="input" name="score_name" value={props.filters.score_name ?? ""} onChange={(e) => pick(e.currentTarget.value)}>
          <option value="">Any score</option>
          <For each={names()}>{(name) => <option value={name}>{name}</option>}</For>
        </select>
        <Show when={props.filters.score_name}>
          <input class="input" name="score_min" type="number" step="any" placeholder="min" value={props.filters.score_min ?? ""} onInput={(e) => debounced("score_min", e.currentTarget.value)} />
          <input class="input" name="score_max" type="number" step="any" placeholder="max" value={props.filters.score_max ?? ""} onInput={(e) => debounced("score_max", e.currentTarget.value)} />
        </Show>
      </form>
    </Show>
  );
}
