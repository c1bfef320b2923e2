import { describe, expect, test } from "bun:test";
import { storageBackends } from "../../test/harness/backends.ts";
import { serverOn } from "../../test/harness/server-on-backend.ts";

// A 3-hour window, hour-aligned, ending an hour ago; its traces are made now (today's partitions).
const HOUR = 3_600_000;
const windowStart = Math.floor(Date.now() / HOUR) * HOUR - 4 * HOUR;
const windowEnd = windowStart + 3 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const MODELS = [
  { provider: "openai", model: "gpt-4o-2024-08-06", family: "gpt-4o" },
  { provider: "anthropic", model: "claude-sonnet-4-20250514", family: "claude-sonnet-4" },
];

type Seeded = { id: string; startMs: number; durationMs: number; ttftMs: number; family: string; rootFailed: boolean };

/** Trace i: a root task and an llm step; every 10th root fails, every 7th step fails under an ok root. */
function traceRows(i: number, project = "overview") {
  const startMs = windowStart + i * 80_000 + 1_000;
  const durationMs = Math.round(40 * 1.09 ** (i % 50));
  const ttftMs = 5 + (i % 13) * 11;
  const m = MODELS[i % 2]!;
  const id = `${project}-t${i}`;
  const rootFailed = i % 10 === 0;
  const rows = [
    { id, root_span_id: id, span_attributes: { name: "agent", type: "task" }, metrics: { start: startMs / 1000, end: (startMs + durationMs) / 1000 },
      ...(rootFailed ? { error: "root failed" } : {}) },
    { id: `${id}-llm`, root_span_id: id, span_parents: [id], span_attributes: { name: "chat", type: "llm" },
      metadata: { provider: m.provider, model: m.model }, ...(i % 7 === 0 ? { error: "step failed" } : {}),
      metrics: { start: (startMs + 1) / 1000, end: (startMs + durationMs - 1) / 1000, time_to_first_token: ttftMs / 1000, prompt_tokens: 100 + i, completion_tokens: 10 + i } },
  ];
  return { rows, seeded: { id, startMs, durationMs, ttftMs, family: m.family, rootFailed } satisfies Seeded };
}

// 135 slots of 80 s fill the 3 hours; those in the window's second hour, minutes 0–20, stay empty.
const SLOTS = Array.from({ length: 135 }, (_, i) => i).filter((i) => {
  const at = i * 80_000 + 1_000;
  return !(at >= HOUR && at < HOUR + 20 * 60_000);
});

/** The first value whose share of the sorted values reaches p: what percentile_disc answers. */
const disc = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
};
const within = (actual: number | null, expected: number, relative: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected) / expected).toBeLessThanOrEqual(relative);
};

for (const backend of storageBackends()) {
  describe(`GET /api/v1/stats on ${backend.name}`, () => {
    const kalmia = serverOn(backend);
    const seeded: Seeded[] = [];
    const send = async (rows: object[], project = "overview") => {
      const response = await kalmia().post("/api/v1/spans", { project, rows });
      expect(response.status).toBe(200);
    };
    const overview = (query: string) => kalmia().getJson(`/api/v1/stats?project=overview&since=${iso(windowStart)}&until=${iso(windowEnd - 1)}&${query}`);

    test("seeding a 3-hour window", async () => {
      const rows: object[] = [];
      for (const i of SLOTS) {
        const made = traceRows(i);
        rows.push(...made.rows);
        seeded.push(made.seeded);
      }
      await send(rows);
    });

    for (const source of ["exact", "rollups"]) {
      test(`(${source}) hourly buckets count the traces that started in them, and errors only where the root failed`, async () => {
        const stats = await overview(`bucket=1h&source=${source}`);
        expect(stats.source).toBe(source);
        expect(stats.series).toHaveLength(1);
        const points = stats.series[0].points;
        expect(points.map((p: any) => p.t)).toEqual([0, 1, 2].map((h) => iso(windowStart + h * HOUR)));
        for (const [h, point] of points.entries()) {
          const inHour = seeded.filter((s) => s.startMs >= windowStart + h * HOUR && s.startMs < windowStart + (h + 1) * HOUR);
          expect(point.traces).toBe(inHour.length);
          expect(point.errors).toBe(inHour.filter((s) => s.rootFailed).length);
          expect(point.prompt_tokens).toBe(inHour.reduce((sum, s) => sum + 100 + Number(s.id.split("-t")[1]), 0));
          within(point.p50_ms, disc(inHour.map((s) => s.durationMs), 0.5), 0.02);
          within(point.p95_ms, disc(inHour.map((s) => s.durationMs), 0.95), 0.02);
          within(point.p99_ms, disc(inHour.map((s) => s.durationMs), 0.99), 0.02);
          within(point.ttft_p50_ms, disc(inHour.map((s) => s.ttftMs), 0.5), 0.02);
          within(point.ttft_p95_ms, disc(inHour.map((s) => s.ttftMs), 0.95), 0.02);
        }
        expect(stats.totals.traces).toBe(seeded.length);
        within(stats.totals.p95_ms, disc(seeded.map((s) => s.durationMs), 0.95), 0.02);
      });

      test(`(${source}) per-model series add up to the totals, and the cost is the listed traces' cost`, async () => {
        const stats = await overview(`bucket=15m&group_by=model&source=${source}`);
        expect(stats.series.map((s: any) => s.key).sort()).toEqual(["claude-sonnet-4", "gpt-4o"]);
        for (const field of ["traces", "errors", "prompt_tokens", "completion_tokens"]) {
          const sum = stats.series.reduce((total: number, s: any) => total + s.points.reduce((t: number, p: any) => t + p[field], 0), 0);
          expect(sum).toBe(stats.totals[field]);
        }
        for (const series of stats.series) expect(series.totals.traces).toBe(seeded.filter((s) => s.family === series.key).length);
        const listed = await kalmia().getJson(`/api/v1/traces?project=overview&since=${iso(windowStart)}&until=${iso(windowEnd - 1)}&limit=500`);
        expect(listed.traces).toHaveLength(seeded.length);
        const listedCost = listed.traces.reduce((sum: number, t: any) => sum + (t.cost_usd ?? 0), 0);
        expect(listedCost).toBeGreaterThan(0);
        expect(stats.totals.cost_usd).toBeCloseTo(listedCost, 9);
      });

      test(`(${source}) empty buckets are present, with zero counts and no percentiles`, async () => {
        const stats = await overview(`bucket=5m&source=${source}`);
        const points = stats.series[0].points;
        expect(points).toHaveLength(36);
        const gap = points.filter((p: any) => p.t >= iso(windowStart + HOUR) && p.t < iso(windowStart + HOUR + 20 * 60_000));
        expect(gap).toHaveLength(4);
        for (const p of gap) expect(p).toMatchObject({ traces: 0, errors: 0, p50_ms: null, cost_usd: 0, prompt_tokens: 0 });
      });
    }

    test("the percentiles from the rollups are within 2% of the exact ones, series by series and bucket by bucket", async () => {
      const [exact, rollups] = await Promise.all([overview("bucket=15m&group_by=provider&source=exact"), overview("bucket=15m&group_by=provider&source=rollups")]);
      expect(rollups.series.map((s: any) => s.key)).toEqual(exact.series.map((s: any) => s.key));
      for (const [n, series] of exact.series.entries()) {
        for (const [b, point] of series.points.entries()) {
          const other = rollups.series[n].points[b];
          expect(other.traces).toBe(point.traces);
          for (const field of ["p50_ms", "p95_ms", "p99_ms", "ttft_p50_ms", "ttft_p95_ms"]) {
            if (point[field] === null) expect(other[field]).toBeNull();
            else within(other[field], point[field], 0.02);
          }
        }
      }
    });

    test("past 2 hours the overview is read from the rollups by default, even at a trace a minute, with the traces' counts", async () => {
      const [chosen, exact] = await Promise.all([overview("bucket=1h"), overview("bucket=1h&source=exact")]);
      expect(chosen.source).toBe("rollups");
      expect(chosen.series[0].points.map((p: any) => p.traces)).toEqual(exact.series[0].points.map((p: any) => p.traces));
      expect(chosen.totals.traces).toBe(seeded.length);
    });

    test("a re-sent trace is not counted twice", async () => {
      const before = await overview("bucket=1h&source=rollups");
      await send(traceRows(SLOTS[3]!).rows);
      await send(traceRows(SLOTS[3]!).rows);
      const after = await overview("bucket=1h&source=rollups");
      expect(after.totals).toEqual(before.totals);
      expect(after.series[0].points).toEqual(before.series[0].points);
    });

    test("a running trace counts as running, and when it ends its bucket's latencies and tokens move", async () => {
      const project = "running";
      const start = windowStart + 30 * 60_000;
      const q = `/api/v1/stats?project=${project}&since=${iso(windowStart)}&until=${iso(windowEnd - 1)}&bucket=1h&source=rollups`;
      const ok = { id: "fast", root_span_id: "fast", span_attributes: { type: "task" }, metrics: { start: start / 1000, end: (start + 100) / 1000 } };
      await send([ok], project);
      await send([{ id: "slow", root_span_id: "slow", span_attributes: { type: "task" }, metrics: { start: start / 1000 } }], project);
      const running = await kalmia().getJson(q);
      expect(running.running).toBe(1);
      expect(running.series[0].points[0]).toMatchObject({ traces: 2, prompt_tokens: 0 });
      within(running.series[0].points[0].p99_ms, 100, 0.02);

      await send([{ id: "slow", root_span_id: "slow", metrics: { end: (start + 60_000) / 1000, prompt_tokens: 7 } }], project);
      const ended = await kalmia().getJson(q);
      expect(ended.running).toBe(0);
      expect(ended.series[0].points[0]).toMatchObject({ traces: 2, prompt_tokens: 7 });
      within(ended.series[0].points[0].p99_ms, 60_000, 0.02);
      expect(ended.totals).toMatchObject({ traces: 2, prompt_tokens: 7 });
    });

    test("a late span that starts the trace earlier moves the trace to its new bucket", async () => {
      const project = "late";
      const start = windowStart + 2 * HOUR + 5 * 60_000;
      const q = `/api/v1/stats?project=${project}&since=${iso(windowStart)}&until=${iso(windowEnd - 1)}&bucket=1h&source=rollups`;
      await send([{ id: "late", root_span_id: "late", span_attributes: { type: "task" }, metrics: { start: start / 1000, end: (start + 1_000) / 1000 } }], project);
      expect((await kalmia().getJson(q)).series[0].points.map((p: any) => p.traces)).toEqual([0, 0, 1]);
      const earlier = start - 90 * 60_000;
      await send([{ id: "late-child", root_span_id: "late", span_parents: ["late"], metrics: { start: earlier / 1000, end: (earlier + 1) / 1000 } }], project);
      expect((await kalmia().getJson(q)).series[0].points.map((p: any) => p.traces)).toEqual([1, 0, 0]);
    });

    test("group_by=user reads each trace's user", async () => {
      const project = "users";
      const at = windowStart + 10 * 60_000;
      const trace = (id: string, user: string) => ({ id, project_id: project, metadata: { user_id: user }, spans: [
        { id: `${id}-s`, span_id: `${id}-s`, root_span_id: `${id}-s`, span_attributes: { type: "llm" }, metrics: { start: at / 1000, end: (at + 500) / 1000 } },
      ] });
      const response = await kalmia().post("/api/v1/traces/ingest", [trace("u1", "ada"), trace("u2", "ada"), trace("u3", "bob")]);
      expect(response.status).toBe(200);
      const stats = await kalmia().getJson(`/api/v1/stats?project=${project}&since=${iso(windowStart)}&until=${iso(windowEnd - 1)}&group_by=user`);
      expect(stats.series.map((s: any) => [s.key, s.totals.traces])).toEqual([["ada", 2], ["bob", 1]]);
    });

    test("ungrouped, each bucket carries the mean of each score name given in it; a model's line has none", async () => {
      const project = "scored";
      const now = Date.now();
      const response = await kalmia().post("/api/v1/traces/ingest", [{ id: "scored-1", project_id: project, spans: [
        { id: "scored-1-s", span_id: "scored-1-s", root_span_id: "scored-1-s", span_attributes: { type: "llm" }, metrics: { start: now / 1000 - 1, end: now / 1000 } },
      ] }]);
      expect(response.status).toBe(200);
      const scored = await kalmia().post("/api/v1/scores", [
        { trace_id: "scored-1", name: "helpful", value: 1 },
        { trace_id: "scored-1", name: "helpful", value: 0 },
        { trace_id: "scored-1", name: "accuracy", value: 0.9 },
        { trace_id: "scored-1", name: "verdict", label: "good" },
      ]);
      expect(scored.status).toBe(200);
      const window = `project=${project}&since=${iso(now - HOUR)}&until=${iso(now + 60_000)}&bucket=1h`;
      const points = (await kalmia().getJson(`/api/v1/stats?${window}`)).series[0].points;
      const given = points.filter((p: any) => p.extra);
      expect(given).toHaveLength(1);
      expect(Date.parse(given[0].t)).toBeLessThanOrEqual(now);
      expect(given[0].extra).toEqual({ accuracy: 0.9, helpful: 0.5 });
      const byModel = await kalmia().getJson(`/api/v1/stats?${window}&group_by=model`);
      expect(byModel.series.flatMap((s: any) => s.points).some((p: any) => p.extra)).toBe(false);
    });

    test("a project's last activity is its newest span's time, not when it was sent", async () => {
      const ended = Date.UTC(2026, 0, 2, 3, 4, 5);
      await send([{ id: "imported", root_span_id: "imported", metrics: { start: (ended - 2_000) / 1000, end: ended / 1000 } }], "imported");
      const { experiments } = await kalmia().getJson("/api/experiments");
      expect(experiments.find((e: any) => e.project === "imported").last_activity).toBe(iso(ended));
    });

    test("bad bucket, group_by and times are refused with a 400 naming the parameter", async () => {
      for (const [query, named] of [
        ["bucket=7m", "bucket"], ["bucket=1m&since=2020-01-01T00:00:00Z&until=2020-03-01T00:00:00Z", "bucket"], ["group_by=color", "group_by"],
        ["since=yesterday", "since"], ["until=2020-13-45", "until"], ["since=2021-01-02T00:00:00Z&until=2021-01-01T00:00:00Z", "since"], ["source=guess", "source"],
      ]) {
        const response = await fetch(`${kalmia().url}/api/v1/stats?${query}`);
        expect(response.status).toBe(400);
        expect(((await response.json()) as any).error.message).toStartWith(`${named} `);
      }
    });

    test("an unknown project has an empty overview: one series of empty buckets", async () => {
      const stats = await kalmia().getJson(`/api/v1/stats?project=nobody&since=${iso(windowStart)}&until=${iso(windowEnd - 1)}&bucket=1h`);
      expect(stats.series).toHaveLength(1);
      expect(stats.series[0].points.map((p: any) => p.traces)).toEqual([0, 0, 0]);
      expect(stats.totals.traces).toBe(0);
    });
  });
}
