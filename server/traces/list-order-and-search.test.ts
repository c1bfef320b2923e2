// The list as a user of GET /api/v1/traces meets it, on each backend: time order whatever the
// arrival order, sorts that page without repeats, the count of matches, search inside every span,
// and a trace's status as its root's (issue 20's reproductions 1, 5 and 6).
import { beforeAll, describe, expect, test } from "bun:test";
import { storageBackends } from "../../test/harness/backends.ts";
import { searchIndexed } from "../../test/harness/search-indexed.ts";
import { serverOn } from "../../test/harness/server-on-backend.ts";

const now = Math.floor(Date.now() / 1000);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Listed = { id: string; status: string; error_count: number; start_time: string; end_time: string | null;
  duration_ms: number | null; total_tokens: number | null; cost_usd: number | null };
type ListAnswer = { traces: Listed[]; next_cursor: string | null; total: number };

const llm = (id: string, start: number, extra: Record<string, unknown> = {}) => ({
  id, span_id: id, root_span_id: id, span_attributes: { name: id, type: "llm" }, metrics: { start, end: start + 1 }, ...extra,
});

for (const backend of storageBackends()) {
  describe(`the trace list on ${backend.name}`, () => {
    const kalmia = serverOn(backend);
    const list = (query: string) => kalmia().getJson<ListAnswer>(`/api/v1/traces?${query}`);
    // Stored, then searchable: search is indexed behind the writes (db/write/search-indexer.ts).
    const ingest = async (body: unknown) => {
      expect((await kalmia().post("/api/v1/traces/ingest?wait=true", body)).status).toBe(200);
      await searchIndexed(kalmia().store);
    };

    test("one ingest of traces from an hour, half an hour and a minute ago lists them newest first, across projects", async () => {
      const at = (minutesAgo: number) => now - minutesAgo * 60;
      await ingest([
        { id: "order-a", project_id: "order-A", spans: [llm("order-a", at(60))] },
        { id: "order-b", project_id: "order-B", spans: [llm("order-b", at(30))] },
        { id: "order-c", project_id: "order-A", spans: [llm("order-c", at(1))] },
      ]);
      const all = await list(`q=order-&limit=10`);
      expect(all.traces.map((t) => t.id)).toEqual(["order-c", "order-b", "order-a"]);
      expect(all.total).toBe(3);
      const projectA = await list(`project=order-A`);
      expect(projectA.traces.map((t) => t.id)).toEqual(["order-c", "order-a"]);
      expect(projectA.total).toBe(2);
      expect(projectA.traces[0]!.start_time).toMatch(ISO_UTC);
      expect(projectA.traces[0]!.end_time).toMatch(ISO_UTC);
      expect(new Date(projectA.traces[0]!.start_time).getTime()).toBe(at(1) * 1000);
    });

    test("q finds text in a tool's output, in a child LLM call's input, in an error and in metadata, and an id by its prefix", async () => {
      const child = (id: string, parent: string, extra: Record<string, unknown>) => ({
        id, span_id: id, root_span_id: parent, span_parents: [parent],
        span_attributes: { name: id, type: "tool" }, metrics: { start: now - 70, end: now - 69 }, ...extra,
      });
      await ingest([
        { id: "search-tool-7f3a", project_id: "search", spans: [
          llm("search-tool-7f3a", now - 100, { input: "summarise the page", output: "done" }),
          child("fetch", "search-tool-7f3a", { output: { page: "the contract, Section 9.3: termination" } }),
        ] },
        { id: "search-llm-0b21", project_id: "search", spans: [
          llm("search-llm-0b21", now - 90, { input: "plan", output: "ok" }),
          child("answer", "search-llm-0b21", { span_attributes: { name: "answer", type: "llm" },
            input: [{ role: "user", content: "Quote the rule on Fishing Rights, please" }] }),
        ] },
        { id: "search-err-99", project_id: "search", spans: [
          llm("search-err-99", now - 80),
          child("lookup", "search-err-99", { error: "upstream said Quota Exhausted" }),
          child("tagged", "search-err-99", { metadata: { customer: "Blue Heron Ltd" } }),
        ] },
      ]);
      const ids = async (q: string) => (await list(`project=search&q=${encodeURIComponent(q)}`)).traces.map((t) => t.id);
      expect(await ids("Section 9.3")).toEqual(["search-tool-7f3a"]);
      expect(await ids("fishing rights")).toEqual(["search-llm-0b21"]);
      expect(await ids("quota exhausted")).toEqual(["search-err-99"]);
      expect(await ids("Blue Heron")).toEqual(["search-err-99"]);
      expect(await ids("search-llm-0")).toEqual(["search-llm-0b21"]);
      expect(await ids("search-")).toEqual(["search-err-99", "search-llm-0b21", "search-tool-7f3a"]);
      expect(await ids("100%_sure")).toEqual([]);
      expect((await list(`project=search&q=Section%209.3`)).total).toBe(1);
      // The first page counts the matches in its own pass, later pages apart: the same total on each.
      const first = await list(`q=search-&limit=2`);
      expect(first.traces.map((t) => t.id)).toEqual(["search-err-99", "search-llm-0b21"]);
      expect(first.total).toBe(3);
      const second = await list(`q=search-&limit=2&cursor=${first.next_cursor}`);
      expect(second.traces.map((t) => t.id)).toEqual(["search-tool-7f3a"]);
      expect(second.total).toBe(3);
      expect(await list(`q=no-such-text-anywhere`)).toMatchObject({ traces: [], total: 0 });
    });

    test("a trace whose steps failed but whose root delivered is ok with its failed steps counted; status=error finds root failures only", async () => {
      const step = (id: string, parent: string, failed: boolean) => ({
        id, span_id: id, root_span_id: parent, span_parents: [parent], span_attributes: { name: id, type: "tool" },
        metrics: { start: now - 50, end: now - 49 }, ...(failed && { error: "403 Forbidden" }),
      });
      await ingest([
        { id: "agent-retried", project_id: "errors", spans: [
          llm("agent-retried", now - 60, { output: "the report" }),
          step("fetch-1", "agent-retried", true), step("fetch-2", "agent-retried", true), step("fetch-3", "agent-retried", false),
        ] },
        { id: "agent-failed", project_id: "errors", spans: [llm("agent-failed", now - 40, { error: "gave up" }), step("f", "agent-failed", true)] },
        { id: "agent-clean", project_id: "errors", spans: [llm("agent-clean", now - 30), step("g", "agent-clean", false)] },
      ]);
      const byId = Object.fromEntries((await list("project=errors")).traces.map((t) => [t.id, t]));
      expect(byId["agent-retried"]).toMatchObject({ status: "ok", error_count: 2 });
      expect(byId["agent-failed"]).toMatchObject({ status: "error", error_count: 2 });
      expect(byId["agent-clean"]).toMatchObject({ status: "ok", error_count: 0 });
      const ids = async (query: string) => (await list(`project=errors&${query}`)).traces.map((t) => t.id);
      expect(await ids("status=error")).toEqual(["agent-failed"]);
      expect(await ids("has_errors=true")).toEqual(["agent-failed", "agent-retried"]);
      expect(await ids("has_errors=false")).toEqual(["agent-clean"]);
      expect(await ids("status=ok&has_errors=true")).toEqual(["agent-retried"]);

      const experiments = await kalmia().getJson<{ experiments: { project: string; error_count: number; error_rate: number }[] }>("/api/experiments");
      const errors = experiments.experiments.find((e) => e.project === "errors");
      expect(errors).toMatchObject({ error_count: 1, error_rate: 1 / 3, created_at: expect.stringMatching(ISO_UTC), last_activity: expect.stringMatching(ISO_UTC) });
      const one = await kalmia().getJson(`/api/v1/traces/agent-retried`);
      expect(one).toMatchObject({ status: "ok", error_count: 2, start_time: expect.stringMatching(ISO_UTC), end_time: expect.stringMatching(ISO_UTC) });
    });

    describe("sorting 30 traces with distinct durations, tokens and costs, and 3 without, in pages of 7", () => {
      // Values shuffled against the start times, so that no sort is the time order in disguise.
      const traces = Array.from({ length: 30 }, (_, i) => ({
        id: `sort-${String(i).padStart(2, "0")}`,
        start: now - 3_600 + i * 60,
        duration: ((i * 7) % 30) + 1,
        tokens: ((i * 11) % 30) + 1,
        cost: (((i * 13) % 30) + 1) / 1000,
      }));
      beforeAll(async () => {
        await ingest([
          ...traces.map((t) => ({ id: t.id, project_id: "sorting", spans: [llm(t.id, t.start, {
            metrics: { start: t.start, end: t.start + t.duration, prompt_tokens: t.tokens * 10, completion_tokens: t.tokens, cost_usd: t.cost },
          })] })),
          // No usage, no cost; the last still running, so without a duration.
          { id: "sort-x1", project_id: "sorting", spans: [llm("sort-x1", now - 7_000)] },
          { id: "sort-x2", project_id: "sorting", spans: [llm("sort-x2", now - 7_100)] },
          { id: "sort-x3", project_id: "sorting", spans: [llm("sort-x3", now - 7_200, { metrics: { start: now - 7_200 } })] },
        ]);
      });

      const walk = async (sort: string, order: string, window = "") => {
        const seen: Listed[] = [];
        let cursor: string | null = null;
        do {
          const page: ListAnswer = await list(`project=sorting&sort=${sort}&order=${order}&limit=7${window}${cursor ? `&cursor=${cursor}` : ""}`);
          expect(page.traces.length).toBeLessThanOrEqual(7);
          expect(page.total).toBe(33);
          seen.push(...page.traces);
          cursor = page.next_cursor;
        } while (cursor);
        return seen;
      };

      // Each trace's value of each sort, null where it has none, as the server should compute it.
      const valueOf = (id: string, sort: string): number | null => {
        const t = traces.find((t) => t.id === id);
        const extra = { "sort-x1": now - 7_000, "sort-x2": now - 7_100, "sort-x3": now - 7_200 }[id]!;
        if (sort === "start_time") return t ? t.start : extra;
        if (sort === "duration_ms") return t ? t.duration * 1000 : id === "sort-x3" ? null : 1000;
        if (!t) return null;
        return sort === "total_tokens" ? t.tokens * 11 : t.cost;
      };
      const ids = [...traces.map((t) => t.id), "sort-x1", "sort-x2", "sort-x3"];
      for (const sort of ["start_time", "duration_ms", "total_tokens", "cost_usd"]) {
        for (const order of ["asc", "desc"] as const) {
          test(`sort=${sort}&order=${order} lists each trace exactly once, in order, those without a value last`, async () => {
            const sign = order === "asc" ? 1 : -1;
            const expected = [...ids].sort((a, b) => {
              const [va, vb] = [valueOf(a, sort), valueOf(b, sort)];
              if (va === null || vb === null) return va === vb ? sign * a.localeCompare(b) : va === null ? 1 : -1;
              return sign * (va - vb || a.localeCompare(b));
            });
            expect((await walk(sort, order)).map((t) => t.id)).toEqual(expected);
            // Within a time window the database takes another way to the same order.
            expect((await walk(sort, order, `&since=${now - 8_000}`)).map((t) => t.id)).toEqual(expected);
          });
        }
      }

      test("the default order is newest start first, and the rows carry the values they are sorted by", async () => {
        const seen = await walk("start_time", "desc");
        expect(seen.map((t) => t.id)).toEqual((await list("project=sorting&limit=33")).traces.map((t) => t.id));
        const one = seen.find((t) => t.id === "sort-05")!;
        expect(one).toMatchObject({ duration_ms: 6_000, total_tokens: 11 * 26, cost_usd: 0.006 });
      });
    });

    test("an unknown sort, order or has_errors, or a cursor of another order, is a 400 naming the parameter", async () => {
      const first = await list("project=sorting&sort=cost_usd&limit=2");
      for (const [query, param] of [
        ["sort=price", "sort"], ["order=up", "order"], ["has_errors=yes", "has_errors"],
        [`sort=duration_ms&cursor=${first.next_cursor}`, "cursor"],
        [`cursor=${Buffer.from(JSON.stringify({ s: "start_time", o: "desc", v: "yesterday", i: "x" })).toString("base64url")}`, "cursor"],
      ] as const) {
        const response = await fetch(`${kalmia().url}/api/v1/traces?${query}`);
        expect({ query, status: response.status }).toEqual({ query, status: 400 });
        expect(((await response.json()) as any).error.message.startsWith(`${param} `)).toBe(true);
      }
    });
  });
}
