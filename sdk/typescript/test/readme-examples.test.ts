import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { allEnded, waitForTraces } from "./support/kalmia-api.ts";
import { afterAll, beforeAll, runtime, test } from "./support/runner.ts";
import { startServer, startUpstream, uniqueProject, type Running } from "./support/servers.ts";

// The package README's TypeScript examples, run as separate programs exactly as written, except for the
// URLs: Kalmia's is swapped for the test server's, and the provider clients' come from OPENAI_BASE_URL /
// ANTHROPIC_BASE_URL (pointing at the fake upstream), which is how `new OpenAI()` finds its server anyway.
// They never call flush(): delivery at exit is part of what is checked. The examples are TypeScript, so
// this runs under Bun only; Node (18/20) cannot run them without a build step of its own.
const here = fileURLToPath(new URL(".", import.meta.url));
const src = fileURLToPath(new URL("../src/index.ts", import.meta.url));

let upstream: Running;
let kalmia: Running;
beforeAll(async () => {
  if (runtime !== "bun") return;
  [upstream, kalmia] = await Promise.all([startUpstream(), startServer()]);
});
afterAll(async () => {
  await Promise.all([upstream?.stop(), kalmia?.stop()]);
});

/** Runs one example program; returns the project its spans went to. */
async function runExample(name: string, code: string): Promise<string> {
  const project = uniqueProject(name);
  const program = code
    .replace(/from "@kalmia\/sdk"/g, `from ${JSON.stringify(src)}`)
    .replace(/"http:\/\/localhost:3000"/g, JSON.stringify(kalmia.url))
    .replace(/projectName: "[^"]+"/g, `projectName: ${JSON.stringify(project)}`);
  const file = `${here}.readme-${name}.ts`;
  writeFileSync(file, program);
  try {
    const env = {
      ...process.env,
      OPENAI_BASE_URL: `${upstream.url}/v1`,
      OPENAI_API_KEY: "sk-test",
      ANTHROPIC_BASE_URL: upstream.url,
      ANTHROPIC_API_KEY: "sk-ant-test",
    };
    const child = spawn(process.execPath, [file], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    assert.equal(code, 0, output);
  } finally {
    rmSync(file, { force: true });
  }
  return project;
}

const block = (marker: string) => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const found = blocks.find((b) => b.includes(marker));
  assert.ok(found, `README has an example with ${marker}`);
  return found!;
};

test("README: the wrapOpenAI example, then the streaming example, each make a trace", async () => {
  if (runtime !== "bun") return;
  const project = await runExample("openai", `${block("wrapOpenAI(new OpenAI())")}\n${block("Tell me a story")}`);
  const traces = await waitForTraces(kalmia.url, project, allEnded(2));
  assert.equal(traces.length, 2);
  assert.deepEqual(traces.map((t) => t.spans[0]!.name), ["openai.chat.completions.create", "openai.chat.completions.create"]);
  assert.ok(traces.every((t) => t.status === "ok"));
});

test("README: the wrapAnthropic example makes a trace", async () => {
  if (runtime !== "bun") return;
  const project = await runExample("anthropic", block("wrapAnthropic(new Anthropic())"));
  const [trace] = await waitForTraces(kalmia.url, project, allEnded(1));
  assert.equal(trace!.spans[0]!.name, "anthropic.messages.create");
  assert.equal(trace!.spans[0]!.output.content[0].text, "Hello! This is the fake upstream, answering deterministically.");
});

test("README: the weather agent makes one trace with its llm and tool spans", async () => {
  if (runtime !== "bun") return;
  const getWeather = "async function getWeather(city: string) { return { city, temperature_c: 21 }; }\n";
  const project = await runExample("weather", getWeather + block("weather-agent"));
  const [trace] = await waitForTraces(kalmia.url, project, allEnded(1));
  assert.equal(trace!.name, "weather-agent");
  assert.deepEqual(trace!.spans.map((s) => s.type).sort(), ["llm", "llm", "task", "tool", "tool"]);
});
