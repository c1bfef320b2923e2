// One test suite, two runners: bun:test under Bun, node:test under Node (see the package README).
// Assertions come from node:assert/strict, which both runtimes provide.
type Body = () => unknown;
type Hook = (fn: Body) => void;

interface Runner {
  test: (name: string, fn: Body) => void;
  describe: (name: string, fn: () => void) => void;
  beforeAll: Hook;
  afterAll: Hook;
}

// Generous on purpose: these are correctness tests on a shared 2-core machine, never timing tests.
const TEST_TIMEOUT_MS = 60_000;
const HOOK_TIMEOUT_MS = 60_000;
const isBun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

async function load(): Promise<Runner> {
  if (isBun) {
    const bun = await import("bun:test");
    return {
      test: (name, fn) => bun.test(name, async () => void (await fn()), TEST_TIMEOUT_MS),
      describe: (name, fn) => bun.describe(name, fn),
      // Hooks start real servers; Bun's 5 s hook default is shorter than PGlite's first open on a busy machine.
      beforeAll: (fn) => bun.beforeAll(async () => void (await fn()), HOOK_TIMEOUT_MS),
      afterAll: (fn) => bun.afterAll(async () => void (await fn()), HOOK_TIMEOUT_MS),
    };
  }
  const node = await import("node:test");
  return {
    test: (name, fn) => void node.test(name, { timeout: TEST_TIMEOUT_MS }, async () => void (await fn())),
    describe: (name, fn) => void node.describe(name, fn),
    beforeAll: (fn) => node.before(async () => void (await fn()), { timeout: HOOK_TIMEOUT_MS }),
    afterAll: (fn) => node.after(async () => void (await fn()), { timeout: HOOK_TIMEOUT_MS }),
  };
}

const runner = await load();
export const { test, describe, beforeAll, afterAll } = runner;
export const runtime = isBun ? "bun" : "node";

/** Runs the garbage collector, where the runtime lets us (Bun always; Node with --expose-gc). */
export function collectGarbage(): boolean {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun) {
    bun.gc(true);
    return true;
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  return Boolean(gc);
}
