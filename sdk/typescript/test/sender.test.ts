import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { flush, initLogger, traced } from "../src/index.ts";
import { deadUrl, startCaptureServer } from "./support/capture-server.ts";
import { test } from "./support/runner.ts";

const record = (count: number) => {
  for (let i = 0; i < count; i++) traced({ name: `job-${i}`, type: "task" }, () => i);
};

test("spans reach POST /api/v1/spans as batched start and end rows, with the bearer key", async () => {
  const capture = await startCaptureServer();
  initLogger({ projectName: "batching", baseUrl: capture.url, apiKey: "key-1" });
  record(3);
  const result = await flush({ timeoutMs: 5000 });
  await capture.stop();

  assert.equal(result.flushed, true);
  assert.equal(capture.requests.length, 1, "six rows recorded together go out as one batch");
  const [request] = capture.requests;
  assert.equal(request!.headers.authorization, "Bearer key-1");
  assert.equal(request!.body.project, "batching");
  assert.equal(request!.body.rows.length, 6);
  const spans = [...capture.spans().values()];
  assert.deepEqual(spans.map((s) => s.span_attributes.name), ["job-0", "job-1", "job-2"]);
  for (const span of spans) {
    assert.equal(span.root_span_id, span.id);
    assert.ok(span.metrics.start > 1.7e9 && span.metrics.end >= span.metrics.start);
  }
  assert.deepEqual(spans.map((s) => s.output), [0, 1, 2]);
});

test("explicit options win over KALMIA_PROJECT, KALMIA_BASE_URL and KALMIA_API_KEY, which fill the gaps", async () => {
  const capture = await startCaptureServer();
  const saved = { ...process.env };
  Object.assign(process.env, { KALMIA_PROJECT: "from-env", KALMIA_BASE_URL: capture.url, KALMIA_API_KEY: "env-key" });
  try {
    initLogger();
    record(1);
    await flush();
    initLogger({ projectName: "explicit", apiKey: "explicit-key" });
    record(1);
    await flush();
  } finally {
    for (const key of ["KALMIA_PROJECT", "KALMIA_BASE_URL", "KALMIA_API_KEY"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
  await capture.stop();
  assert.deepEqual(capture.requests.map((r) => [r.body.project, r.headers.authorization]), [
    ["from-env", "Bearer env-key"],
    ["explicit", "Bearer explicit-key"],
  ]);
});

test("no Authorization header is sent without an API key", async () => {
  const capture = await startCaptureServer();
  initLogger({ projectName: "no-key", baseUrl: capture.url });
  record(1);
  await flush();
  await capture.stop();
  assert.equal(capture.requests[0]!.headers.authorization, undefined);
});

test("a batch answered 500 is retried until it is delivered", async () => {
  const capture = await startCaptureServer([{ status: 500 }, { status: 503 }, { status: 200 }]);
  initLogger({ projectName: "retry", baseUrl: capture.url });
  record(2);
  const result = await flush({ timeoutMs: 10_000 });
  await capture.stop();
  assert.equal(result.flushed, true);
  assert.equal(result.dropped, 0);
  assert.equal(capture.requests.length, 3);
  assert.deepEqual(capture.requests[2]!.body.rows, capture.requests[0]!.body.rows, "the same rows are re-sent");
});

test("a 429 is retried no sooner than its Retry-After", async () => {
  const capture = await startCaptureServer([{ status: 429, headers: { "retry-after": "1" } }, { status: 200 }]);
  initLogger({ projectName: "retry-after", baseUrl: capture.url });
  record(1);
  const result = await flush({ timeoutMs: 10_000 });
  await capture.stop();
  assert.equal(result.flushed, true);
  assert.equal(capture.requests.length, 2);
  assert.ok(capture.requests[1]!.at - capture.requests[0]!.at >= 950, "waited for Retry-After: 1");
});

test("a 400 is not retried: the rows are dropped and counted", async () => {
  const capture = await startCaptureServer([{ status: 400 }]);
  initLogger({ projectName: "rejected", baseUrl: capture.url });
  record(2);
  const result = await flush({ timeoutMs: 5_000 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await capture.stop();
  assert.equal(capture.requests.length, 1);
  assert.equal(result.dropped, 4);
  assert.equal(result.pending, 0);
});

test("past its cap the queue drops new rows and counts them", async () => {
  const capture = await startCaptureServer(["hang"]);
  const logger = initLogger({ projectName: "cap", baseUrl: capture.url, maxQueueRows: 5 });
  record(10);
  const stats = logger.stats();
  await capture.stop();
  assert.equal(stats.pending, 5);
  assert.equal(stats.dropped, 15);
});

test("flush against a hung server resolves at its timeout and says what is still pending", async () => {
  const capture = await startCaptureServer(["hang"]);
  initLogger({ projectName: "hung", baseUrl: capture.url });
  record(2);
  const result = await flush({ timeoutMs: 300 });
  await capture.stop();
  assert.equal(result.flushed, false);
  assert.equal(result.pending, 4);
});

test("with the server down, recording and flushing raise nothing and the rows wait", async () => {
  initLogger({ projectName: "down", baseUrl: await deadUrl() });
  record(2);
  const result = await flush({ timeoutMs: 300 });
  assert.equal(result.flushed, false);
  assert.ok(result.pending > 0);
});

// The fixture runs as TypeScript under Bun, and as the compiled JavaScript beside this file under Node.
const fixture = fileURLToPath(new URL(`./fixtures/exit-without-flush${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url));

/** Runs a fixture program; `heldMs` is how long it took to exit after its output (its last line). */
function runFixture(captureUrl: string, name = "exit-without-flush", env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; heldMs: number }> {
  const file = fixture.replace("exit-without-flush", name);
  const child = spawn(process.execPath, [file], { env: { ...process.env, CAPTURE_URL: captureUrl, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  let outputAt = 0;
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    outputAt = performance.now();
  });
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, heldMs: performance.now() - outputAt })));
}

test("a program that ends without calling flush still delivers its spans", async () => {
  const capture = await startCaptureServer();
  const { code, stdout } = await runFixture(capture.url);
  await capture.stop();
  assert.equal(code, 0);
  assert.equal(stdout.trim(), "answer 42");
  const span = [...capture.spans().values()][0]!;
  assert.equal(span.span_attributes.name, "short-job");
  assert.equal(span.output, 42);
  assert.ok(span.metrics.end, "the end row arrived too");
});

test("a program whose Kalmia server hangs still exits, with its own output intact", async () => {
  const capture = await startCaptureServer(["hang"]);
  const { code, stdout } = await runFixture(capture.url);
  await capture.stop();
  assert.equal(code, 0);
  assert.equal(stdout.trim(), "answer 42");
  assert.equal(capture.requests.length, 1, "it tried once, then let the process go");
});

test("a program that ends with a request in flight to a hung server still exits", async () => {
  const capture = await startCaptureServer(["hang"]);
  const { code, stdout } = await runFixture(capture.url, "exit-without-flush", { FLUSH_FIRST: "1" });
  await capture.stop();
  assert.equal(code, 0);
  assert.equal(stdout.trim(), "answer 42");
  assert.ok(capture.requests.length >= 1);
});

test("a program whose Kalmia server is down is held at exit at most 1 s, not the whole exit flush timeout", async () => {
  // The README's promise; the slack is for the runtime's own teardown on a loaded machine.
  const { code, stdout, heldMs } = await runFixture(await deadUrl(), "exit-without-flush", { EXIT_FLUSH_TIMEOUT_MS: "3000" });
  assert.equal(code, 0);
  assert.equal(stdout.trim(), "answer 42");
  assert.ok(heldMs < 1500, `exit held ${Math.round(heldMs)} ms`);
});

test("without initLogger(), KALMIA_BASE_URL, KALMIA_PROJECT and KALMIA_API_KEY alone configure the SDK", async () => {
  const capture = await startCaptureServer();
  const env = { KALMIA_BASE_URL: capture.url, KALMIA_PROJECT: "env-only", KALMIA_API_KEY: "env-key" };
  const { code, stdout } = await runFixture(capture.url, "env-only", env);
  await capture.stop();
  assert.equal(code, 0);
  assert.equal(stdout.trim(), "answer ok");
  assert.equal(capture.requests[0]!.body.project, "env-only");
  assert.equal(capture.requests[0]!.headers.authorization, "Bearer env-key");
  assert.equal([...capture.spans().values()][0]!.span_attributes.name, "env-job");
});

test("without initLogger() or any KALMIA_ variable, traced code runs and nothing is sent", async () => {
  const capture = await startCaptureServer();
  const env: Record<string, string> = {};
  const saved = { ...process.env };
  for (const key of ["KALMIA_BASE_URL", "KALMIA_PROJECT", "KALMIA_API_KEY"]) delete process.env[key];
  try {
    const { code, stdout } = await runFixture(capture.url, "env-only", env);
    assert.equal(code, 0);
    assert.equal(stdout.trim(), "answer ok");
  } finally {
    Object.assign(process.env, saved);
    await capture.stop();
  }
  assert.equal(capture.requests.length, 0);
});
