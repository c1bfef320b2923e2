// A job that died mid-run leaves its trace "running" forever; the list finds it with status=stale
// (running, no write for 10 minutes), on each backend (issue 24, point 10).
import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { storageBackends } from "../../test/harness/backends.ts";
import { serverOn } from "../../test/harness/server-on-backend.ts";

type Listed = { id: string; status: string; updated_at: string };
type ListAnswer = { traces: Listed[]; total: number };

const now = Math.floor(Date.now() / 1000);
const span = (id: string, end: boolean) => ({
  id, span_id: id, root_span_id: id, span_attributes: { name: id, type: "task" },
  metrics: { start: now - 3_600, ...(end ? { end: now - 3_500 } : {}) },
});

for (const backend of storageBackends()) {
  describe(`stale traces on ${backend.name}`, () => {
    const kalmia = serverOn(backend);
    const ids = async (query: string) =>
      (await kalmia().getJson<ListAnswer>(`/api/v1/traces?project=stale&${query}`)).traces.map((t) => t.id).sort();

    test("a running trace not written for 11 minutes is stale; one written a minute ago and a finished one are not", async () => {
      // As an SDK writes them: a root span without an end is running.
      const rows = [span("job-died", false), span("job-alive", false), span("job-done", true)];
      expect((await kalmia().post("/api/v1/spans?wait=true", { project: "stale", rows })).status).toBe(200);
      // The job that died stopped writing 11 minutes ago; the live one wrote a minute ago.
      const db = kalmia().store.db;
      await db.execute(sql`update traces set updated_at = now() - interval '11 minutes' where id in ('job-died', 'job-done')`);
      await db.execute(sql`update traces set updated_at = now() - interval '1 minute' where id = 'job-alive'`);

      expect(await ids("status=stale")).toEqual(["job-died"]);
      // Stale is a kind of running, not a status of its own: the trace still says running.
      expect(await ids("status=running")).toEqual(["job-alive", "job-died"]);
      const listed = await kalmia().getJson<ListAnswer>(`/api/v1/traces?project=stale&status=stale`);
      expect(listed.total).toBe(1);
      expect(listed.traces[0]).toMatchObject({ status: "running", updated_at: expect.stringMatching(/Z$/) });
    });

    test("an unknown status is a 400 that names the field and lists stale among the choices", async () => {
      const response = await fetch(`${kalmia().url}/api/v1/traces?status=dead`);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("running, stale, ok, error, cancelled");
    });
  });
}
