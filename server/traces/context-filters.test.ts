// Users, sessions, tags and metadata (issue 22) as a user of the API meets them, on each backend:
// captured from ingested traces and span rows, filtered alone and together, counted in the facets.
import { describe, expect, test } from "bun:test";
import { storageBackends } from "../../test/harness/backends.ts";
import { serverOn } from "../../test/harness/server-on-backend.ts";

const now = Math.floor(Date.now() / 1000);
type Listed = { id: string; user_id: string | null; session_id: string | null; tags: string[]; metadata: any };

const llm = (id: string, start: number, extra: Record<string, unknown> = {}) => ({
  id, span_id: id, root_span_id: id, span_attributes: { name: id, type: "llm" },
  metadata: { provider: "openai", model: "gpt-4o" }, metrics: { start, end: start + 1, prompt_tokens: 10, completion_tokens: 5 }, ...extra,
});

for (const backend of storageBackends()) {
  describe(`users, sessions, tags and metadata on ${backend.name}`, () => {
    const kalmia = serverOn(backend);
    const ids = async (query: string) =>
      (await kalmia().getJson<{ traces: Listed[] }>(`/api/v1/traces?project=ctx&${query}`)).traces.map((t) => t.id).sort();
    const listed = async (id: string) =>
      (await kalmia().getJson<{ traces: Listed[] }>(`/api/v1/traces?project=ctx&q=${id}`)).traces.find((t) => t.id === id)!;

    test("an ingested trace's top-level user_id, session_id and tags, or its metadata's aliases, are listed", async () => {
      const response = await kalmia().post("/api/v1/traces/ingest?wait=true", [
        { id: "ing-top", project_id: "ctx", user_id: "u-ann", session_id: "s-1", tags: ["prod", "v2"],
          metadata: { tenant: "acme", plan: { tier: "gold" }, retries: 3, beta: true }, spans: [llm("ing-top-1", now - 60)] },
        { id: "ing-meta", project_id: "ctx", metadata: { userId: "u-bob", thread_id: "s-2", tags: ["staging"], tenant: "globex" },
          spans: [llm("ing-meta-1", now - 50)] },
        { id: "ing-conv", project_id: "ctx", metadata: { user_id: 42, conversation_id: "s-1", tenant: "acme" }, spans: [llm("ing-conv-1", now - 40)] },
      ]);
      expect(response.status).toBe(200);
      expect(await listed("ing-top")).toMatchObject({ user_id: "u-ann", session_id: "s-1", tags: ["prod", "v2"] });
      expect(await listed("ing-meta")).toMatchObject({ user_id: "u-bob", session_id: "s-2", tags: ["staging"] });
      // A number is an id as JSON writes it.
      expect(await listed("ing-conv")).toMatchObject({ user_id: "42", session_id: "s-1", tags: [] });
    });

    test("span rows give them top-level or in metadata; the trace takes its root's, else the first span's that has them", async () => {
      const response = await kalmia().post("/api/v1/spans", { project: "ctx", rows: [
        { id: "sdk-root", root_span_id: "sdk-root", span_attributes: { name: "agent", type: "task" }, user_id: "u-cid",
          session_id: "s-3", tags: ["prod"], metadata: { tenant: "initech", prompt_version: "7" }, metrics: { start: now - 30, end: now - 20 } },
        { id: "sdk-child", root_span_id: "sdk-root", span_parents: ["sdk-root"], span_attributes: { type: "llm" },
          user_id: "u-other", metadata: { provider: "openai", model: "gpt-4o" }, metrics: { start: now - 29, end: now - 21 } },
        // No root has them: a step's metadata says them.
        { id: "late-root", root_span_id: "late-root", span_attributes: { name: "agent", type: "task" }, metrics: { start: now - 10, end: now - 5 } },
        { id: "late-step", root_span_id: "late-root", span_parents: ["late-root"], metadata: { sessionId: "s-3", userId: "u-cid", tags: ["beta"] },
          metrics: { start: now - 9, end: now - 8 } },
      ] });
      expect(response.status).toBe(200);
      expect(await listed("sdk-root")).toMatchObject({ user_id: "u-cid", session_id: "s-3", tags: ["prod"], metadata: { tenant: "initech", prompt_version: "7" } });
      expect(await listed("late-root")).toMatchObject({ user_id: "u-cid", session_id: "s-3", tags: ["beta"] });
    });

    test("each filter alone finds its traces", async () => {
      expect(await ids("user=u-ann")).toEqual(["ing-top"]);
      expect(await ids("user=42")).toEqual(["ing-conv"]);
      expect(await ids("session=s-1")).toEqual(["ing-conv", "ing-top"]);
      expect(await ids("tag=prod")).toEqual(["ing-top", "sdk-root"]);
      expect(await ids("metadata.tenant=acme")).toEqual(["ing-conv", "ing-top"]);
      // Nested keys by dots; numbers and booleans as JSON values; a value as a string too.
      expect(await ids("metadata.plan.tier=gold")).toEqual(["ing-top"]);
      expect(await ids("metadata.retries=3")).toEqual(["ing-top"]);
      expect(await ids("metadata.beta=true")).toEqual(["ing-top"]);
      expect(await ids("metadata.prompt_version=7")).toEqual(["sdk-root"]);
      expect(await ids("metadata.tenant=nobody")).toEqual([]);
    });

    test("filters combine: every tag must match, and with each other and the existing filters", async () => {
      expect(await ids("tag=prod&tag=v2")).toEqual(["ing-top"]);
      expect(await ids("tag=prod&tag=staging")).toEqual([]);
      expect(await ids("session=s-1&user=u-ann")).toEqual(["ing-top"]);
      expect(await ids("session=s-3&tag=beta")).toEqual(["late-root"]);
      expect(await ids("metadata.tenant=acme&session=s-1&user=42")).toEqual(["ing-conv"]);
      expect(await ids("user=u-cid&metadata.tenant=initech&tag=prod&provider=openai&model=gpt-4o")).toEqual(["sdk-root"]);
      expect(await ids(`metadata.tenant=acme&since=${now - 45}`)).toEqual(["ing-conv"]);
      expect(await ids("user=u-ann&status=error")).toEqual([]);
      expect(await ids("tag=prod&has_errors=false")).toEqual(["ing-top", "sdk-root"]);
    });

    test("the facets count users, tags and metadata keys", async () => {
      const facets = await kalmia().getJson("/api/v1/facets?project=ctx");
      expect(facets.users).toEqual(expect.arrayContaining([{ value: "u-cid", count: 2 }, { value: "u-ann", count: 1 }]));
      expect(facets.tags[0]).toEqual({ value: "prod", count: 2 });
      expect(facets.metadata_keys).toEqual(expect.arrayContaining([{ value: "tenant", count: 4 }]));
    });

    test("sessions page newest activity first, each once, a session's totals over all its turns, and one session's turns oldest first", async () => {
      // Seven sessions; session k's turns at k, k + 10 and (for even k) a late turn at 30 + k minutes.
      const turn = (session: number, minute: number) => ({
        id: `pg-${session}-${minute}`, project_id: "ctx-sessions", session_id: `conv-${session}`, user_id: `u-${session % 2}`,
        spans: [llm(`pg-${session}-${minute}-s`, now - 3_600 + minute * 60)],
      });
      const traces = [];
      for (let k = 0; k < 7; k++) traces.push(turn(k, k), turn(k, k + 10), ...(k % 2 === 0 ? [turn(k, 30 + k)] : []));
      expect((await kalmia().post("/api/v1/traces/ingest?wait=true", traces)).status).toBe(200);
      const order: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await kalmia().getJson(`/api/v1/sessions?project=ctx-sessions&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
        order.push(...page.sessions.map((s: any) => s.id));
        cursor = page.next_cursor;
      } while (cursor);
      expect(order).toEqual(["conv-6", "conv-4", "conv-2", "conv-0", "conv-5", "conv-3", "conv-1"]);
      const first: any = await kalmia().getJson("/api/v1/sessions?project=ctx-sessions&limit=1");
      expect(first.sessions[0]).toMatchObject({ id: "conv-6", project: "ctx-sessions", user_id: "u-0", trace_count: 3, total_tokens: 45, errors: 0 });
      const one: any = await kalmia().getJson("/api/v1/sessions/conv-4?project=ctx-sessions");
      expect(one.traces.map((t: any) => t.id)).toEqual(["pg-4-4", "pg-4-14", "pg-4-34"]);
      expect((await fetch(`${kalmia().url}/api/v1/sessions/nope?project=ctx-sessions`)).status).toBe(404);
      expect((await fetch(`${kalmia().url}/api/v1/sessions?cursor=garbage`)).status).toBe(400);
      const users: any = await kalmia().getJson("/api/v1/users?project=ctx-sessions&sort=trace_count");
      expect(users.users.map((u: any) => [u.id, u.trace_count])).toEqual([["u-0", 12], ["u-1", 6]]);
    });

    test("bad values get a 4xx naming the field, never a 500", async () => {
      const refused = async (trace: Record<string, unknown>, path: string) => {
        const response = await kalmia().post("/api/v1/traces/ingest?wait=true", { id: "bad", project_id: "ctx", ...trace });
        expect(response.status).toBe(400);
        expect(JSON.stringify(await response.json())).toContain(path);
      };
      await refused({ tags: ["x".repeat(10_000)] }, "tags[0]");
      await refused({ tags: Array.from({ length: 1_000 }, (_, i) => `t${i}`) }, "tags");
      await refused({ user_id: { name: "ann" } }, "user_id");
      await refused({ tags: "prod" }, "tags");
      await refused({ metadata: { tags: ["y".repeat(10_000)] } }, "metadata.tags[0]");
      const spans = await kalmia().post("/api/v1/spans", [{ id: "bad-span", root_span_id: "bad-span", session_id: ["s"] }]);
      expect(spans.status).toBe(400);
      expect(JSON.stringify(await spans.json())).toContain("rows[0].session_id");
      expect((await fetch(`${kalmia().url}/api/v1/traces?metadata.=x`)).status).toBe(400);
      const query = await fetch(`${kalmia().url}/api/v1/traces?metadata.a..b=1`);
      expect(query.status).toBe(400);
      expect((await query.json()).error.message).toContain("metadata.a..b");
      expect((await fetch(`${kalmia().url}/api/v1/traces?user=${"x".repeat(2_000)}`)).status).toBe(400);
    });
  });
}
