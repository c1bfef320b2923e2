import { A, useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch } from "solid-js";
import { listSessions } from "../../api/sessions.ts";
import { EmptyState, ErrorState, Loading } from "../../components/States.tsx";
import { createCursorPages } from "../../lib/cursor-pages.ts";
import { formatCost, formatRelative, formatTokens } from "../../lib/format.ts";

/** Sessions (traces that share a session id), newest activity first, paged by cursor. */
export function SessionsPage() {
  const [params] = useSearchParams();
  const project = () => (typeof params.project === "string" ? params.project : undefined);
  const { first, refetch, items: sessions, cursor, loadMore } = createCursorPages(
    () => ({ project: project() || undefined }),
    async (query, cursor) => {
      const page = await listSessions(query.project, cursor);
      return { items: page.sessions, next_cursor: page.next_cursor };
    },
  );
  return (
    <div class="page">
      <div class="page-head">
        <h1>Sessions</h1>
        <p class="page-sub">
          Conversations: the traces that share a session id, newest activity first.
          <Show when={project()}> Project <strong>{project()}</strong>.</Show>
        </p>
      </div>
      <Switch>
        <Match when={first.error}>
          <ErrorState message={(first.error as Error).message} onRetry={() => void refetch()} />
        </Match>
        <Match when={first.loading && !first.latest}>
          <Loading label="Loading sessions…" />
        </Match>
        <Match when={sessions().length === 0}>
          <EmptyState title="No sessions yet">
            Send a session id with your traces (x-kalmia-session-id through the proxy, session_id in the SDKs) and each conversation shows up here.
          </EmptyState>
        </Match>
        <Match when={true}>
          <div class="table simple-table" role="table" aria-label="Sessions">
            <div class="table-head session-grid" role="row">
              <span role="columnheader">Session</span>
              <span role="columnheader">User</span>
              <span role="columnheader">Turns</span>
              <span role="columnheader">Tokens</span>
              <span role="columnheader">Cost</span>
              <span role="columnheader">Errors</span>
              <span role="columnheader">Last activity</span>
            </div>
            <For each={sessions()}>
              {(session) => (
                <A
                  class="table-row session-grid"
                  role="row"
                  data-session-id={session.id}
                  href={`/sessions/${encodeURIComponent(session.id)}?project=${encodeURIComponent(session.project)}`}
                >
                  <span class="cell-name">
                    <span class="mono ellipsis">{session.id}</span>
                    <span class="cell-project">{session.project}</span>
                  </span>
                  <span class="ellipsis">{session.user_id ?? "—"}</span>
                  <span class="num">{session.trace_count.toLocaleString("en-US")}</span>
                  <span class="num">{formatTokens(session.total_tokens)}</span>
                  <span class="num">{formatCost(session.cost_usd)}</span>
                  <span class="num" classList={{ warn: session.errors > 0 }}>{session.errors}</span>
                  <span class="num muted">{formatRelative(session.last_end ?? session.first_start)}</span>
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
