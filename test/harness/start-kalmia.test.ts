import { afterEach, expect, test } from "bun:test";
import { startKalmia, withServerLogs } from "./start-kalmia.ts";

// What the harness prints goes to console.error, read here instead of the test's output.
const printed: string[] = [];
const consoleError = console.error;
const capture = () => (console.error = (...parts: unknown[]) => void printed.push(parts.join(" ")));
afterEach(() => {
  console.error = consoleError;
  printed.length = 0;
});

test("a server that dies without being stopped has its output printed at once, saying how it ended", async () => {
  const kalmia = await startKalmia();
  capture();
  process.kill(kalmia.pid, "SIGKILL");
  for (let i = 0; i < 100 && printed.length === 0; i++) await Bun.sleep(50);
  expect(printed).toHaveLength(1);
  expect(printed[0]).toContain(`kalmia (pid ${kalmia.pid}) exited unexpectedly (SIGKILL)`);
  expect(printed[0]).toContain(`Kalmia listening on ${kalmia.url}`);
}, 120_000);

test("a failing test prints the output of every server it started, stopped ones too, and fails as it did; stopping prints nothing", async () => {
  capture();
  const urls: string[] = [];
  let printedByStops = -1;
  const failing = withServerLogs(async () => {
    const servers = await Promise.all([startKalmia(), startKalmia()]);
    urls.push(...servers.map((s) => s.url));
    await servers[0]!.stop("SIGKILL");
    await servers[1]!.stop();
    await Bun.sleep(200);
    printedByStops = printed.length;
    throw new Error("the test's own failure");
  });
  await expect(failing).rejects.toThrow("the test's own failure");
  expect(printedByStops).toBe(0);
  expect(printed).toHaveLength(2);
  // In the order they came up, which two starting together need not keep.
  for (const url of urls) expect(printed.filter((text) => text.includes(`Kalmia listening on ${url}`))).toHaveLength(1);
  expect(printed.filter((text) => text.includes("kalmia: SIGTERM, draining and closing"))).toHaveLength(1);
}, 120_000);
