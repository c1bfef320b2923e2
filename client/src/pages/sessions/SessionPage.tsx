import { A, useParams, useSearchParams } from "@solidjs/router";
import { createEffect, createResource, createSignal, For, Match, on, onCleanup, Show, Switch } from "solid-js";
import { connectLive, type LiveStatus } from "../../api/live.ts";
import { getSession } from "../../api/sessions.ts";
import type { TraceSummary } from "../../api/types.ts";
import { LiveIndicator } from "../../components/LiveIndicator.tsx";
import { ErrorState, Loading } from "../../components/States.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { formatCost, formatDuration, formatTime, formatTokens } from "../../lib/format.ts";
import { sessionTotals, turnOf, withTrace } from "./session-turns.ts";

/**
 * One session as one conversation: its traces turn after turn, each linking to its trace, with the
 * session's totals; new turns arrive live.
 */
export function SessionPage() {
  const params = useParams();
  const [search] = useSearchParams();
  const project = () => (typeof search.project === "string" && search.project ? search.project : undefined);
  const [session, { refetch }] = createResource(() => ({ id: params.id!, project: project() }), ({ id, project }) => getSession(id, project));
  const [traces, setTraces] = createSignal<TraceSummary[]>([]);
  const [live, setLive] = createSignal<LiveStatus>("connecting");
  createEffect(on(session, (s) => s && setTraces(s.traces)));

  createEffect(() => {
    const id = params.id;
    const close = connectLive(
      { project: project(), only: "trace" },
      {
        onTrace: (trace) => trace.session_id === id && (!project() || trace.project === project()) && setTraces((list) => withTrace(list, trace)),
        onReset: () => void refetch(),
        onStatus: setLive,
      },
    );
    onCleanup(close);
  });
  const totals = () => sessionTotals(traces());
  const user = () => traces().find((t) => t.user_id)?.user_id ?? null;

  return (
    <div class="page session-page">
      <Switch>
        <Match when={session.error}>
          <ErrorState message={(session.error as Error).message} onRetry={() => void refetch()} />
        </Match>
        <Match when={!session.latest}>
          <Loading label="Loading the session…" />
        </Match>
        <Match when={true}>
          <header class="trace-header">
            <div class="crumbs">
              <A href={`/sessions${project() ? `?project=${encodeURIComponent(project()!)}` : ""}`}>Sessions</A>
              <span class="muted"> / </span>
              <span class="mono muted">{params.id}</span>
            </div>
            <div class="trace-title row">
              <h1>Session {params.id}</h1>
              <LiveIndicator status={live()} />
            </div>
            <dl class="facts session-totals" data-turns={totals().turns} data-errors={totals().errors}>
              <Fact label="Turns" value={String(totals().turns)} />
              <Fact label="Duration" value={formatDuration(totals().durationMs)} />
              <Fact label="Tokens" value={formatTokens(totals().tokens)} />
              <Fact label="Cost" value={formatCost(totals().cost)} />
              <Fact label="Errors" value={String(totals().errors)} />
              <Show when={user()}>
                <div class="fact">
                  <dt>User</dt>
                  <dd>
                    <A href={`/traces?user=${encodeURIComponent(user()!)}${project() ? `&project=${encodeURIComponent(project()!)}` : ""}`}>{user()}</A>
                  </dd>
                </div>
              </Show>
            </dl>
          </header>
          <ol class="session-turns panel" aria-label="Conversation">
            <For each={traces().map(turnOf)}>
              {(turn, index) => (
                <li class="session-turn" data-trace-id={turn.trace.id}>
                  <div class="session-turn-head">
                    <span class="turn-number">Turn {index() + 1}</span>
                    <StatusBadge status={turn.trace.status} />
                    <span class="muted">{formatTime(turn.trace.start_time)}</span>
                    <span class="muted">{formatDuration(turn.trace.duration_ms)} · {formatTokens(turn.trace.total_tokens)} tokens · {formatCost(turn.trace.cost_usd)}</span>
                    <A class="turn-link" href={`/traces/${encodeURIComponent(turn.trace.id)}`}>Open trace →</A>
                  </div>
                  <Show when={turn.asked}>
                    <div class="bubble bubble-user">{turn.asked}</div>
                  </Show>
                  <Show when={turn.answered} fallback={<div class="bubble bubble-assistant muted">{turn.trace.status === "running" ? "…" : "(no answer)"}</div>}>
                    <div class="bubble bubble-assistant">{turn.answered}</div>
                  </Show>
                </li>
              )}
            </For>
          </ol>
        </Match>
      </Switch>
    </div>
  );
}

function Fact(props: { label: string; value: string }) {
  return (
    <div class="fact">
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}
