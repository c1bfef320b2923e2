import { A, useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch } from "solid-js";
import { listUsers } from "../../api/sessions.ts";
import type { UserSort } from "../../api/types.ts";
import { EmptyState, ErrorState, Loading } from "../../components/States.tsx";
import { createCursorPages } from "../../lib/cursor-pages.ts";
import { formatCost, formatRelative, formatTokens } from "../../lib/format.ts";

const SORTS: { sort: UserSort; label: string }[] = [
  { sort: "last_seen", label: "Last seen" },
  { sort: "cost_usd", label: "Cost" },
  { sort: "trace_count", label: "Traces" },
  { sort: "total_tokens", label: "Tokens" },
];

/** Per user: traces, tokens, cost and last seen, each opening the trace list filtered to that user. */
export function UsersPage() {
  const [params, setParams] = useSearchParams();
  const project = () => (typeof params.project === "string" && params.project ? params.project : undefined);
  const sort = () => (SORTS.some((s) => s.sort === params.sort) ? (params.sort as UserSort) : "last_seen");
  const { first, refetch, items: users, cursor, loadMore } = createCursorPages(
    () => ({ project: project(), sort: sort(), order: "desc" as const }),
    async (query, cursor) => {
      const page = await listUsers(query, cursor);
      return { items: page.users, next_cursor: page.next_cursor };
    },
  );
  const listOf = (id: string) => `/traces?user=${encodeURIComponent(id)}${project() ? `&project=${encodeURIComponent(project()!)}` : ""}`;
  return (
    <div class="page">
      <div class="page-head row">
        <div>
          <h1>Users</h1>
          <p class="page-sub">The end users of your traces (user_id). Pick one to see their traces.</p>
        </div>
        <div class="head-actions" role="group" aria-label="Sort users by">
          <For each={SORTS}>
            {(option) => (
              <button type="button" class="button ghost" aria-pressed={sort() === option.sort} onClick={() => setParams({ sort: option.sort === "last_seen" ? undefined : option.sort })}>
                {option.label}
              </button>
            )}
          </For>
        </div>
      </div>
      <Switch>
        <Match when={first.error}>
          <ErrorState message={(first.error as Error).message} onRetry={() => void refetch()} />
        </Match>
        <Match when={first.loading && !first.latest}>
          <Loading label="Loading users…" />
        </Match>
        <Match when={users().length === 0}>
          <EmptyState title="No users yet">Send a user id with your traces (x-kalmia-user-id through the proxy, user_id in the SDKs) and each user shows up here.</EmptyState>
        </Match>
        <Match when={true}>
          <div class="table simple-table" role="table" aria-label="Users">
            <div class="table-head user-grid" role="row">
              <span role="columnheader">User</span>
              <span role="columnheader">Traces</span>
              <span role="columnheader">Tokens</span>
              <span role="columnheader">Cost</span>
              <span role="columnheader">Last seen</span>
            </div>
            <For each={users()}>
              {(user) => (
                <A class="table-row user-grid" role="row" data-user-id={user.id} href={listOf(user.id)}>
                  <span class="mono ellipsis">{user.id}</span>
                  <span class="num">{user.trace_count.toLocaleString("en-US")}</span>
                  <span class="num">{formatTokens(user.total_tokens)}</span>
                  <span class="num">{formatCost(user.cost_usd)}</span>
                  <span class="num muted">{formatRelative(user.last_seen)}</span>
                </A>
              )}
            </For>
            <Show when={cursor()}>
              <div class="table-foot">
                <button type="button" class="link-button" onClick={() => void loadMore()}>
                  Load more
                </button>
              </div>
            </Show>
          </div>
        </Match>
      </Switch>
    </div>
  );
}
