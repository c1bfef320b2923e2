import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { storageBackends } from "../../test/harness/backends.ts";
import { startInProcess } from "../../test/harness/in-process.ts";
import { serverOn } from "../../test/harness/server-on-backend.ts";
import { startProxyStack, type ProxyStack } from "../proxy/proxy-test-stack.ts";

/** The samples of a Prometheus text exposition: `name{labels}` → value. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** The sum of a metric's samples whose labels include all of `labels`. */
function total(samples: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [key, value] of samples) {
    const brace = key.indexOf("{");
    if ((brace < 0 ? key : key.slice(0, brace)) !== name) continue;
    if (Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

/** Polls until the check holds (the writer and afterResponse hooks run a moment after the answer). */
async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 200 && !(await check()); i++) await Bun.sleep(25);
}

describe("GET /metrics", () => {
  let stack: ProxyStack;
  const scrape = async () => parse(await (await fetch(`${stack.kalmia.url}/metrics`)).text());
  beforeAll(async () => {
    stack = await startProxyStack();
  }, 60_000);
  afterAll(() => stack?.stop(), 30_000);

  test("is the Prometheus text format, with the process's memory", async () => {
    const response = await fetch(`${stack.kalmia.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const samples = parse(await response.text());
    expect(total(samples, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(total(samples, "kalmia_database_info", { kind: "pglite" })).toBe(1);
    expect(total(samples, "kalmia_writer_buffer_capacity_rows")).toBe(200_000);
  });

  test("a proxied call moves the proxy's counter by provider, model and upstream status, and the request counter by route template", async () => {
    const before = await scrape();
    const call = (scenario: string) =>
      fetch(`${stack.proxyUrl}/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer sk-test", "content-type": "application/json", "x-fake-scenario": scenario },
        body: JSON.stringify({ model: "gpt-4o-metrics", messages: [{ role: "user", content: "hi" }] }),
      });
    expect((await call("")).status).toBe(200);
    expect((await call("error-500")).status).toBe(500);
    const labels = { provider: "openai", model: "gpt-4o-metrics" };
    let after = before;
    await until(async () => {
      after = await scrape();
      return total(after, "kalmia_http_requests_total", { route: "/api/v1/chat/completions" }) - total(before, "kalmia_http_requests_total", { route: "/api/v1/chat/completions" }) >= 2;
    });
    expect(total(after, "kalmia_proxy_calls_total", { ...labels, status: "200" }) - total(before, "kalmia_proxy_calls_total", { ...labels, status: "200" })).toBe(1);
    expect(total(after, "kalmia_proxy_calls_total", { ...labels, status: "500" }) - total(before, "kalmia_proxy_calls_total", { ...labels, status: "500" })).toBe(1);
    const route = { method: "POST", route: "/api/v1/chat/completions" };
    expect(total(after, "kalmia_http_requests_total", { ...route, status: "500" }) - total(before, "kalmia_http_requests_total", { ...route, status: "500" })).toBe(1);
    expect(total(after, "kalmia_http_request_duration_seconds_count", route) - total(before, "kalmia_http_request_duration_seconds_count", route)).toBe(2);
  });

  test("a trace read is counted under its route template, never its raw path", async () => {
    await fetch(`${stack.kalmia.url}/api/v1/traces/no-such-trace-for-metrics`);
    let after = new Map<string, number>();
    await until(async () => total((after = await scrape()), "kalmia_http_requests_total", { route: "/api/v1/traces/:id", status: "404" }) >= 1);
    expect(total(after, "kalmia_http_requests_total", { route: "/api/v1/traces/:id", status: "404" })).toBeGreaterThanOrEqual(1);
    expect([...after.keys()].some((key) => key.includes("no-such-trace-for-metrics"))).toBe(false);
  });
});

for (const backend of storageBackends()) {
  describe(`GET /metrics, writes on ${backend.name}`, () => {
    const server = serverOn(backend);
    const scrape = async () => parse(await (await fetch(`${server().url}/metrics`)).text());

    test("names the database, and on Postgres the read pool's bound", async () => {
      const samples = await scrape();
      expect(total(samples, "kalmia_database_info", { kind: backend.name })).toBe(1);
      expect(samples.has("kalmia_database_pool_max_connections")).toBe(backend.name === "postgres");
      if (backend.name === "postgres") expect(total(samples, "kalmia_database_pool_max_connections")).toBe(10);
    });

    test("an ingest moves rows accepted and committed, and the write batch histogram", async () => {
      const before = await scrape();
      const response = await fetch(`${server().url}/api/v1/traces/ingest`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ id: "metrics-ingest", project_id: "metrics", spans: [{ id: "s1", span_id: "s1", root_span_id: "s1", name: "one" }, { id: "s2", span_id: "s2", root_span_id: "s1", name: "two" }] }),
      });
      expect(response.status).toBe(200);
      const after = await scrape();
      const moved = (name: string) => total(after, name) - total(before, name);
      expect(moved("kalmia_writer_rows_accepted_total")).toBeGreaterThanOrEqual(2);
      expect(moved("kalmia_writer_rows_committed_total")).toBeGreaterThanOrEqual(2);
      expect(moved("kalmia_writer_commits_total")).toBeGreaterThanOrEqual(1);
      expect(moved("kalmia_writer_batch_duration_seconds_count")).toBeGreaterThanOrEqual(1);
      expect(total(after, "kalmia_writer_rows_rejected_total")).toBe(total(before, "kalmia_writer_rows_rejected_total"));
    });

    test("a row the database refuses moves rows rejected", async () => {
      const before = await scrape();
      const huge = Array.from({ length: 500 }, () => crypto.randomUUID()).join("");
      const outcome = await server().writer.enqueue("metrics-refusal", "sdk", [
        { id: "kept", root_span_id: "metrics-refusal" },
        { id: "too-big", root_span_id: huge },
      ]);
      expect(outcome).toMatchObject({ rejected: [{ id: "too-big" }] });
      const after = await scrape();
      expect(total(after, "kalmia_writer_rows_rejected_total") - total(before, "kalmia_writer_rows_rejected_total")).toBe(1);
    });
  });
}

describe("GET /metrics with API keys set", () => {
  const KEY = "kal-metrics-7d1f";
  test("needs the key, as the API does", async () => {
    const kalmia = await startInProcess({ KALMIA_API_KEYS: KEY });
    try {
      const without = await fetch(`${kalmia.url}/metrics`);
      expect(without.status).toBe(401);
      const wrong = await fetch(`${kalmia.url}/metrics`, { headers: { authorization: "Bearer nope" } });
      expect(wrong.status).toBe(401);
      const keyed = await fetch(`${kalmia.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } });
      expect(keyed.status).toBe(200);
      // The refusals themselves are counted, under no route (they were refused before routing).
      expect(total(parse(await keyed.text()), "kalmia_http_requests_total", { route: "(refused)", status: "401" })).toBeGreaterThanOrEqual(2);
    } finally {
      await kalmia.stop();
    }
  });
});
