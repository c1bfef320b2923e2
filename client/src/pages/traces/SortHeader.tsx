import type { SortOrder, TraceSort } from "../../api/types.ts";

export type ListOrder = { sort: TraceSort; order: SortOrder };

/**
 * A column header that sorts the list by its column: a first click sorts largest (or newest)
 * first, another click turns the order around. aria-sort says which way it is sorted now.
 */
export function SortHeader(props: { label: string; sort: TraceSort; current: ListOrder; onSort: (next: ListOrder) => void }) {
  const active = () => props.current.sort === props.sort;
  const next = (): ListOrder => ({ sort: props.sort, order: active() && props.current.order === "desc" ? "asc" : "desc" });
  return (
    <span role="columnheader" class="num" aria-sort={active() ? (props.current.order === "asc" ? "ascending" : "descending") : "none"}>
      <button type="button" class="sort-button" classList={{ active: active() }} data-sort={props.sort} onClick={() => props.onSort(next())}>
        {props.label}
        <span class="sort-arrow" aria-hidden="true">
          {active() ? (props.current.order === "asc" ? "↑" : "↓") : ""}
        </span>
      </button>
    </span>
  );
}
