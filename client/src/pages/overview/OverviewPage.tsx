import { A, useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from "solid-js";
import { connectLive } from "../../api/live.ts";
import { fetchStats, type Stats, type StatsGroup } from "../../api/stats.ts";
import { Chart, type ChartLine } from "../../components/Chart.tsx";
import { ErrorState, Loading } from "../../components/States.tsx";
import { formatCost, formatDuration, formatPercent, formatTokens } from "../../lib/format.ts";
import { mergeTail } from "../../lib/stats-tail.ts";
import { throttle } from "../../lib/throttle.ts";
import { boundsOf, bucketMs, paramsOfRange, PRESETS, rangeFromParams, type Preset } from "../../lib/time-range.ts";
import { ModelTable } from "./ModelTable.tsx";

const PALETTE = ["#7a5af8", "#2970ff", "#12a150", "#f79009", "#c2367a", "#0ba5ec", "#d92d20", "#667085"];
const colorOf = (i: number) => PALETTE[i % PALETTE.length]!;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const count = (v: number) => formatTokens(v);

/** A project's overview: volume, errors, latency, TTFT, tokens and cost over a window, by model or provider. */
export function OverviewPage() {
  const routeParams = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const project = () => routeParams.project!;
  const range = createMemo(() => rangeFromParams({ range: one(params.range), since: one(params.since), until: one(params.until) }), undefined, {
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const by = (): StatsGroup => (one(params.by) === "provider" ? "provider" : "model");
  const [overall, setOverall] = createSignal<Stats | null>(null);
  const [grouped, setGrouped] = createSignal<Stats | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [live, setLive] = createSignal(false);

  let controller: AbortController | null = null;
  const load = async () => {
    controller?.abort();
    controller = new AbortController();
    const { since, until, live: follows } = boundsOf(range());
    setLive(follows);
    try {
      const [a, b] = await Promise.all([
        fetchStats({ project: project(), since, until }, controller.signal),
        fetchStats({ project: project(), since, until, group_by: by() }, controller.signal),
      ]);
      setOverall(a);
      setGrouped(b);
      setError(null);
    } catch (e) {
      if ((e as Error).name !== "AbortError") setError((e as Error).message);
    }
  };
  createEffect(on([project, range, by], () => void load()));

  // Live: while the window ends now, the newest buckets are asked again as traces arrive, at most once a second.
  const refreshTail = async () => {
    const [a, b] = [overall(), grouped()];
    if (!a || !b || !live()) return;
    const last = a.series[0]?.points.at(-1)?.t;
    if (!last) return;
    const since = new Date(last);
    const until = new Date();
    const query = { project: project(), since, until, bucket: a.bucket };
    const [ta, tb] = await Promise.all([fetchStats(query), fetchStats({ ...query, group_by: by() })]);
    if (overall() !== a || grouped() !== b) return; // a full load came in meanwhile
    setOverall(mergeTail(a, ta));
    setGrouped(mergeTail(b, tb));
  };
  createEffect(() => {
    if (!live()) return;
    const tail = throttle(() => void refreshTail().catch(() => {}), 1_000);
    const close = connectLive({ project: project(), only: "trace" }, { onTrace: tail.call, onReset: () => void load() });
    onCleanup(() => {
      close();
      tail.cancel();
    });
  });
  onCleanup(() => controller?.abort());

  const setPreset = (preset: Preset) => setParams(paramsOfRange({ kind: "preset", preset }));
  const zoom = (fromMs: number, toMs: number) => {
    if (toMs - fromMs < 60_000) return;
    setParams(paramsOfRange({ kind: "custom", since: new Date(fromMs), until: new Date(toMs) }));
  };
  const [customSince, setCustomSince] = createSignal("");
  const [customUntil, setCustomUntil] = createSignal("");
  const applyCustom = (event: Event) => {
    event.preventDefault();
    const since = new Date(customSince());
    const until = new Date(customUntil());
    if (Number.isNaN(since.getTime()) || Number.isNaN(until.getTime()) || since >= until) return;
    setParams(paramsOfRange({ kind: "custom", since, until }));
  };

  const times = (stats: Stats | null) => (stats?.series[0]?.points ?? []).map((p) => Date.parse(p.t) / 1000);
  const overallLines = (fields: [string, keyof Stats["totals"], string][]): ChartLine[] =>
    fields.map(([label, field, color]) => ({ label, color, values: (overall()?.series[0]?.points ?? []).map((p) => p[field] as number | null) }));
  const groupedLines = (field: "traces" | "cost_usd"): ChartLine[] =>
    (grouped()?.series ?? []).map((s, i) => ({ label: s.key ?? `(no ${by()})`, color: colorOf(i), values: s.points.map((p) => p[field]) }));

  /** One line per score name given in the window: its mean per bucket (the points' `extra`). */
  const scoreLines = (): ChartLine[] => {
    const points = overall()?.series[0]?.points ?? [];
    const names = [...new Set(points.flatMap((p) => Object.keys(p.extra ?? {})))].sort();
    return names.map((name, i) => ({ label: name, color: colorOf(i), values: points.map((p) => p.extra?.[name] ?? null) }));
  };

  /** The traces list of bucket `index` (and of the line's model or provider, when one is picked). */
  const openBucket = (index: number, key?: string | null) => {
    const stats = overall();
    const point = stats?.series[0]?.points[index];
    if (!stats || !point) return;
    const since = new Date(point.t);
    const until = new Date(since.getTime() + bucketMs(stats.bucket) - 1);
    const query = new URLSearchParams({ project: project(), since: since.toISOString(), until: until.toISOString(), range: "custom" });
    if (key) query.set(by(), key);
    navigate(`/traces?${query}`);
  };
  const pickGrouped = (index: number, line: number | null) => openBucket(index, line === null ? undefined : grouped()?.series[line]?.key);

  const totals = () => overall()?.totals;
  return (
    <div class="page overview">
      <div class="page-head row">
        <div>
          <h1>{project()}</h1>
          <p class="page-sub">
            Overview · <A href={`/traces?project=${encodeURIComponent(project())}`}>all traces</A>
            <Show when={overall()}>
              {" · "}
              <span class="running-now" data-running={overall()!.running}>{overall()!.running} running now</span>
              {", "}
              <span class="stale-now" classList={{ warn: overall()!.stale > 0 }} data-stale={overall()!.stale}>{overall()!.stale} stale</span>
            </Show>
          </p>
        </div>
        <div class="head-actions range-picker">
          <For each={Object.keys(PRESETS) as Preset[]}>
            {(preset) => (
              <button type="button" class="button ghost" data-range={preset} aria-pressed={range().kind === "preset" && (range() as { preset: Preset }).preset === preset} onClick={() => setPreset(preset)}>
                {preset}
              </button>
            )}
          </For>
          <form class="custom-range" onSubmit={applyCustom}>
            <input type="datetime-local" aria-label="From" value={customSince()} onInput={(e) => setCustomSince(e.currentTarget.value)} />
            <input type="datetime-local" aria-label="To" value={customUntil()} onInput={(e) => setCustomUntil(e.currentTarget.value)} />
            <button type="submit" class="button ghost" data-range="custom" aria-pressed={range().kind === "custom"}>Custom</button>
          </form>
          <select aria-label="Break down by" value={by()} onChange={(e) => setParams({ by: e.currentTarget.value === "model" ? undefined : e.currentTarget.value })}>
            <option value="model">by model</option>
            <option value="provider">by provider</option>
          </select>
        </div>
      </div>
      <Show when={error()}>
        <ErrorState message={error()!} onRetry={() => void load()} />
      </Show>
      <Show when={overall() && grouped()} fallback={<Show when={!error()}><Loading label="Loading the overview…" /></Show>}>
        <dl class="stats overview-totals">
          <div class="stat"><dt>Traces</dt><dd data-total="traces">{totals()!.traces.toLocaleString("en-US")}</dd></div>
          <div class="stat" classList={{ warn: totals()!.errors > 0 }}><dt>Errors</dt><dd data-total="errors">{formatPercent(totals()!.traces ? totals()!.errors / totals()!.traces : null)}</dd></div>
          <div class="stat"><dt>p95</dt><dd>{formatDuration(totals()!.p95_ms)}</dd></div>
          <div class="stat"><dt>Tokens</dt><dd>{formatTokens(totals()!.prompt_tokens + totals()!.completion_tokens)}</dd></div>
          <div class="stat"><dt>Cost</dt><dd>{formatCost(totals()!.cost_usd)}</dd></div>
        </dl>
        <div class="charts">
          <ChartCard title="Traces and errors" name="traces">
            <Chart times={times(overall())} lines={overallLines([["traces", "traces", "#2970ff"], ["errors", "errors", "#d92d20"]])} format={count} onZoom={zoom} onPick={(i) => openBucket(i)} />
          </ChartCard>
          <ChartCard title="Latency (trace duration)" name="latency">
            <Chart times={times(overall())} lines={overallLines([["p50", "p50_ms", "#12a150"], ["p95", "p95_ms", "#f79009"], ["p99", "p99_ms", "#d92d20"]])} format={formatDuration} onZoom={zoom} onPick={(i) => openBucket(i)} />
          </ChartCard>
          <ChartCard title="Time to first token" name="ttft">
            <Chart times={times(overall())} lines={overallLines([["p50", "ttft_p50_ms", "#12a150"], ["p95", "ttft_p95_ms", "#f79009"]])} format={formatDuration} onZoom={zoom} onPick={(i) => openBucket(i)} />
          </ChartCard>
          <ChartCard title="Tokens" name="tokens">
            <Chart times={times(overall())} lines={overallLines([["prompt", "prompt_tokens", "#7a5af8"], ["completion", "completion_tokens", "#0ba5ec"]])} format={count} onZoom={zoom} onPick={(i) => openBucket(i)} />
          </ChartCard>
          <ChartCard title={`Traces by ${by()}`} name="traces-by">
            <Chart times={times(grouped())} lines={groupedLines("traces")} format={count} onZoom={zoom} onPick={pickGrouped} />
          </ChartCard>
          <ChartCard title={`Cost by ${by()}`} name="cost-by">
            <Chart times={times(grouped())} lines={groupedLines("cost_usd")} format={formatCost} onZoom={zoom} onPick={pickGrouped} />
          </ChartCard>
          <Show when={scoreLines().length > 0}>
            <ChartCard title="Scores (mean)" name="scores">
              <Chart times={times(overall())} lines={scoreLines()} format={(v) => (Math.round(v * 1000) / 1000).toString()} onZoom={zoom} onPick={(i) => openBucket(i)} />
            </ChartCard>
          </Show>
        </div>
        <ModelTable stats={grouped()!} by={by()} project={project()} />
      </Show>
    </div>
  );
}

function ChartCard(props: { title: string; name: string; children: unknown }) {
  return (
    <section class="card chart-card" data-chart={props.name}>
      <h2>{props.title}</h2>
      {props.children as never}
    </section>
  );
}
