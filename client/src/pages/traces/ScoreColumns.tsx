import { createResource, createSignal, For, Show } from "solid-js";
import { listFacets } from "../../api/traces.ts";
import type { TraceSummary } from "../../api/types.ts";

/** The score columns shown by default: the project's most used names, up to this many. */
const DEFAULT_COLUMNS = 3;
const COLUMN_WIDTH = "96px";

/** A sort of the loaded rows by one score's mean (the API sorts by its own columns only). */
export type ScoreSort = { name: string; order: "asc" | "desc" };

/**
 * The project's score names (GET /api/v1/facets) and which of them are columns: `chosen` (from the URL,
 * comma-separated) or, until someone chooses, the most used ones.
 */
export function createScoreColumns(project: () => string | undefined, chosen: () => string | undefined) {
  const [names] = createResource(() => ({ project: project() }), async ({ project }) => (await listFacets(project))?.scores.map((f) => f.value) ?? []);
  const columns = () => {
    const picked = chosen();
    if (picked !== undefined) return picked.split(",").filter(Boolean);
    return (names() ?? []).slice(0, DEFAULT_COLUMNS);
  };
  /** The grid's extra columns, for the table's --score-columns. */
  const gridColumns = () => columns().map(() => COLUMN_WIDTH).join(" ");
  return { names: () => names() ?? [], columns, gridColumns };
}

export type ScoreColumns = ReturnType<typeof createScoreColumns>;

/** Orders trace ids by a score's mean, traces without that score last either way. */
export function sortByScore(ids: string[], rowOf: (id: string) => TraceSummary, sort: ScoreSort | null): string[] {
  if (!sort) return ids;
  const sign = sort.order === "asc" ? 1 : -1;
  const valueOf = (id: string) => rowOf(id).scores?.[sort.name];
  return [...ids].sort((a, b) => {
    const [x, y] = [valueOf(a), valueOf(b)];
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    return (x - y) * sign;
  });
}

/** The header cells of the score columns: each sorts the loaded rows by that score, again the other way. */
export function ScoreHeaders(props: { columns: string[]; sort: ScoreSort | null; onSort: (sort: ScoreSort) => void }) {
  return (
    <For each={props.columns}>
      {(name) => {
        const active = () => props.sort?.name === name;
        return (
          <span role="columnheader" class="num" aria-sort={active() ? (props.sort!.order === "asc" ? "ascending" : "descending") : "none"}>
            <button
              type="button"
              class="sort-button ellipsis"
              classList={{ active: active() }}
              data-score-sort={name}
              title={`Sort the loaded traces by the mean of ${name}`}
              onClick={() => props.onSort({ name, order: active() && props.sort!.order === "desc" ? "asc" : "desc" })}
            >
              {name}
              <span class="sort-arrow" aria-hidden="true">
                {active() ? (props.sort!.order === "asc" ? "↑" : "↓") : ""}
              </span>
            </button>
          </span>
        );
      }}
    </For>
  );
}

const meanText = (value: number | undefined) => (value === undefined ? "—" : String(Number(value.toFixed(3))));

/** A row's cells of the score columns: the trace's mean of each. */
export function ScoreCells(props: { trace: TraceSummary; columns: string[] }) {
  return (
    <For each={props.columns}>
      {(name) => (
        <span class="num score-cell" data-score={name}>
          {meanText(props.trace.scores?.[name])}
        </span>
      )}
    </For>
  );
}

/** Which score names are columns: a checkbox per name of the project. */
export function ScoreColumnPicker(props: { names: string[]; columns: string[]; onChange: (columns: string[]) => void }) {
  const [open, setOpen] = createSignal(false);
  const toggle = (name: string, on: boolean) =>
    props.onChange(on ? props.names.filter((n) => n === name || props.columns.includes(n)) : props.columns.filter((n) => n !== name));
  return (
    <Show when={props.names.length}>
      <div class="score-picker">
        <button type="button" class="button ghost" aria-expanded={open()} onClick={() => setOpen(!open())}>
          Scores ({props.columns.length})
        </button>
        <Show when={open()}>
          <div class="score-picker-menu" role="group" aria-label="Score columns">
            <For each={props.names}>
              {(name) => (
                <label class="row small">
                  <input type="checkbox" name="score-column" value={name} checked={props.columns.includes(name)} onChange={(e) => toggle(name, e.currentTarget.checked)} />
                  {name}
                </label>
              )}
            </For>
          </div>
        </Show>
      </div>
    </Show>
  );
}
