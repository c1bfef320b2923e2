import { createResource, createSignal, For, Match, onCleanup, Switch } from "solid-js";
import { listExperiments } from "../../api/experiments.ts";
import { connectLive } from "../../api/live.ts";
import { throttle } from "../../lib/throttle.ts";
import { EmptyState, ErrorState, Loading } from "../../components/States.tsx";
import { ProjectCard } from "./ProjectCard.tsx";

/** Every project (from GET /api/experiments: one experiment per project), each opening its overview. */
export function ProjectsPage() {
  const [experiments, { refetch }] = createResource(() => listExperiments());
  const [refreshed, setRefreshed] = createSignal(0);
  // Totals are an aggregate over every trace (costly on a big store): refresh
  // them as traces arrive, but at most every 15 s.
  const refresh = throttle(() => {
    void refetch();
    setRefreshed((n) => n + 1);
  }, 15_000);
  const close = connectLive({ only: "trace" }, { onTrace: refresh.call });
  onCleanup(() => {
    close();
    refresh.cancel();
  });
  return (
    <div class="page">
      <div class="page-head">
        <h1>Projects</h1>
        <p class="page-sub">Pick a project for its overview: volume, errors, latency, tokens and cost over time.</p>
      </div>
      <Switch>
        <Match when={experiments.error}>
          <ErrorState message={(experiments.error as Error).message} onRetry={() => void refetch()} />
        </Match>
        <Match when={experiments.loading && !experiments.latest}>
          <Loading label="Loading projects…" />
        </Match>
        <Match when={experiments()?.length === 0}>
          <EmptyState title="No projects yet">
            Send a trace with the SDK, the proxy or POST /api/v1/traces/ingest, and its project shows up here.
          </EmptyState>
        </Match>
        <Match when={experiments()}>
          <div class="cards">
            <For each={experiments()}>{(experiment) => <ProjectCard experiment={experiment} refreshed={refreshed()} />}</For>
          </div>
        </Match>
      </Switch>
    </div>
  );
}
