import { expect, test } from "bun:test";
import { throttle } from "./throttle.ts";

test("a throttled call runs at once after quiet, and a burst folds into one later run", async () => {
  let runs = 0;
  const t = throttle(() => runs++, 40);
  t.call();
  expect(runs).toBe(1);
  t.call();
  t.call();
  t.call();
  expect(runs).toBe(1);
  await Bun.sleep(80);
  expect(runs).toBe(2);
  t.cancel();
});
