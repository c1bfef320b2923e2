// Preloaded by bun test (bunfig.toml): after the last test, the temporary dirs go. They are handed to
// an `rm` of their own, not removed in the hook: gigabytes of PGlite dirs and copied images on a busy
// disk took longer than the hook's timeout, which failed a suite whose tests had all passed.
import { afterAll } from "bun:test";
import { takeTempDirs } from "./temp-dir.ts";

afterAll(() => {
  const dirs = takeTempDirs();
  if (dirs.length) Bun.spawn(["rm", "-rf", "--", ...dirs], { stdio: ["ignore", "ignore", "ignore"] }).unref();
});
