import { createResource, For, Match, onCleanup, Switch } from "solid-js";
import { listExperiments } from "../../api/experiments.ts";
import { connectLive } from "../../api/live.ts";
import { throttle } from "../../lib/throttle.ts";
import { EmptyState, ErrorState, Loading } from "../../components/States.tsx";
import { ExperimentCard } from "./ExperimentCard.tsx";

export function ExperimentsPage() {
  const [experiments, { refetch }] = createResource(() => listExperiments());
  // Totals are an aggregate over every trace (costly on a big store): refresh
  // them as traces arrive, but at most every 15 s.
  const refresh = throttle(() => void refetch(), 15_000);
  const close = connectLive({ only: "trace" }, { onTrace: refresh.call });
  onCleanup(() => {
    close();
    refresh.cancel();
  });
  return (
    <div class="page">
      <div class="page-head">
        <h1>Experiments</h1>
        <p class="page-sub">One experiment per project. Pick one to see its traces.</p>
      </div>
      <Switch>
        <Match when={experiments.error}>
          <ErrorState message={(experiments.error as Error).message} onRetry={() => void refetch()} />
        </Match>
        <Match when={experiments.loading && !experiments.latest}>
          <Loading label="Loading experiments…" />
        </Match>
        <Match when={experiments()?.length === 0}>
          <EmptyState title="No experiments yet">
            Send a trace with the SDK, the proxy or POST /api/v1/traces/ingest, and its project shows up here.
          </EmptyState>
        </Match>
        <Match when={experiments()}>
          <div class="cards">
            <For each={experiments()}>{(experiment) => <ExperimentCard experiment={experiment} />}</For>
          </div>
        </Match>
      </Switch>
    </div>
  );
}
