// The Python SDK as a user gets it: `python -m build` makes a wheel and an sdist (from a copy of
// sdk/python, outside the workspace), the wheel goes into fresh virtualenvs on the oldest and newest
// Pythons this kind of machine has (pyenv 3.9 and 3.13) beside the real `openai` and `anthropic`
// packages, and a script there traces one call of each into a running Kalmia server.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/start-fake-upstream.ts";
import { tempDir } from "../harness/temp-dir.ts";
import { startKalmia, type RunningKalmia } from "../harness/start-kalmia.ts";
import { allEnded, waitForTraces } from "../../sdk/typescript/test/support/kalmia-api.ts";
import { installDir, mustRun, removeInstallDirs, repoRoot } from "./npm-project.ts";

const PYTHONS = { "3.9": "/root/.pyenv/versions/3.9.18/bin/python", "3.13": "/root/.pyenv/versions/3.13.0/bin/python" };
// The project's virtualenv (scripts/test.sh makes it, with `build` from test/requirements.txt).
const buildPython = join(repoRoot, ".venv/bin/python");
const missing = [buildPython, ...Object.values(PYTHONS)].filter((path) => !existsSync(path));
// CI machines have them all: there a missing interpreter is a failure, not a skip.
if (missing.length > 0 && process.env.CI) throw new Error(`CI needs these Pythons: ${missing.join(", ")}`);
if (missing.length > 0) console.warn(`skipping the Python wheel tests: no ${missing.join(", ")}`);
const describeIfPythons = missing.length > 0 ? describe.skip : describe;

const pip = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--prefer-binary"];
let upstream: FakeUpstream;
let kalmia: RunningKalmia;
let dist: string;
/** A fresh virtualenv per Python, made while the wheel builds. */
const venvs = new Map<string, Promise<string>>();
/** One run per Python, both at once: most of the time is pip, fetching from its cache. */
const runs = new Map<string, Promise<{ printed: any; project: string }>>();

async function makeVenv(python: string, interpreter: string): Promise<string> {
  const venv = installDir(`kalmia-venv-${python}-`);
  await mustRun([interpreter, "-m", "venv", venv], { cwd: venv });
  return venv;
}

/** Installs the wheel beside the newest openai and anthropic this Python supports, and runs the script. */
async function traceOn(python: string) {
  const venv = await venvs.get(python)!;
  const wheel = join(dist, readdirSync(dist).find((file) => file.endsWith(".whl"))!);
  await mustRun([join(venv, "bin/python"), ...pip, wheel, "openai", "anthropic"], { cwd: venv });
  const project = `packed-py-${python}-${Math.random().toString(36).slice(2, 8)}`;
  const env = { KALMIA_PROJECT: project, KALMIA_BASE_URL: kalmia.url, UPSTREAM_URL: upstream.url };
  const script = join(import.meta.dir, "sdk-python-consumer/trace_calls.py");
  const printed = JSON.parse(await mustRun([join(venv, "bin/python"), script], { cwd: venv, env }));
  return { printed, project };
}

describeIfPythons("the kalmia-sdk wheel and sdist", () => {
  beforeAll(async () => {
    for (const [python, interpreter] of Object.entries(PYTHONS)) {
      const venv = makeVenv(python, interpreter);
      venv.catch(() => {}); // awaited, and reported, by its test
      venvs.set(python, venv);
    }
    [upstream, kalmia] = await Promise.all([startFakeUpstream(), startKalmia()]);
    const source = tempDir("kalmia-sdk-py-");
    cpSync(join(repoRoot, "sdk/python"), source, {
      recursive: true,
      filter: (path) => !/(__pycache__|\.egg-info|\/build)$/.test(path),
    });
    dist = tempDir("kalmia-sdk-dist-");
    await mustRun([buildPython, "-m", "build", "--outdir", dist, source], { cwd: source });
    for (const python of Object.keys(PYTHONS)) {
      const run = traceOn(python);
      run.catch(() => {});
      runs.set(python, run);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([...venvs.values(), ...runs.values()]);
    await Promise.all([upstream?.stop(), kalmia?.stop(), removeInstallDirs()]);
  }, 180_000);

  test("are built with the version from kalmia_sdk/_version.py and ship py.typed", async () => {
    const version = /__version__ = "(.+)"/.exec(readFileSync(join(repoRoot, "sdk/python/kalmia_sdk/_version.py"), "utf8"))![1];
    const files = readdirSync(dist).sort();
    expect(files).toEqual([`kalmia_sdk-${version}-py3-none-any.whl`, `kalmia_sdk-${version}.tar.gz`]);
    const listing = await mustRun([buildPython, "-m", "zipfile", "-l", join(dist, files[0]!)], { cwd: dist });
    expect(listing).toContain("kalmia_sdk/py.typed");
    const sdist = await mustRun(["tar", "tzf", join(dist, files[1]!)], { cwd: dist });
    expect(sdist).toContain(`kalmia_sdk-${version}/kalmia_sdk/py.typed`);
  });

  for (const python of Object.keys(PYTHONS)) {
    test(`on Python ${python}, the installed wheel traces a wrapped openai and a wrapped anthropic call`, async () => {
      const { printed, project } = await runs.get(python)!;
      expect(printed.python).toBe(python);
      expect(printed.flushed).toBe(true);
      const traces = await waitForTraces(kalmia.url, project, allEnded(2));
      const outputs = traces.flatMap((trace) => trace.spans.filter((span) => span.type === "llm").map((span) => span.output));
      expect(outputs).toContainEqual(expect.objectContaining({ content: printed.openai }));
      expect(JSON.stringify(outputs)).toContain(JSON.stringify(printed.anthropic));
    }, 180_000);
  }
});
