import { useLocation, useNavigate } from "@solidjs/router";

/** A context filter's URL parameter: user, session, tag (repeatable) or metadata.KEY. */
export type ContextParam = "user" | "session" | "tag" | `metadata.${string}`;

/** The search string with `value` set for `param` (added beside others for a tag), or removed. */
export function changedSearch(search: string, param: ContextParam, value: string, change: "add" | "remove"): string {
  const params = new URLSearchParams(search);
  if (change === "remove") {
    const kept = params.getAll(param).filter((v) => v !== value);
    params.delete(param);
    for (const v of kept) params.append(param, v);
  } else if (param === "tag") {
    if (!params.getAll("tag").includes(value)) params.append("tag", value);
  } else {
    params.set(param, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/**
 * Adds or removes a context filter in the traces list's URL (from anywhere: a chip on a row, a
 * session's user, the users page), so the list, its live feed and the export follow it.
 */
export function useContextFilters() {
  const location = useLocation();
  const navigate = useNavigate();
  const onTraces = () => location.pathname === "/traces";
  return {
    add(param: ContextParam, value: string) {
      navigate(`/traces${changedSearch(onTraces() ? location.search : "", param, value, "add")}`);
    },
    remove(param: ContextParam, value: string) {
      navigate(`/traces${changedSearch(location.search, param, value, "remove")}`);
    },
  };
}
