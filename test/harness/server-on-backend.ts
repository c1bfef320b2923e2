import { afterAll, beforeAll } from "bun:test";
import type { Backend } from "./backends.ts";
import { startInProcess, type InProcessKalmia } from "./in-process.ts";

/**
 * A server on a fresh database of `backend` for the enclosing describe: started before its tests,
 * stopped and its database dropped after. Call the answer inside a test to reach the server.
 */
export function serverOn(backend: Backend): () => InProcessKalmia {
  let kalmia: InProcessKalmia | undefined;
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const prepared = await backend.prepare();
    cleanup = prepared.cleanup;
    kalmia = await startInProcess(prepared.env);
  }, 60_000);
  afterAll(async () => {
    await kalmia?.stop();
    await cleanup();
  });
  return () => {
    if (!kalmia) throw new Error("the server is not started yet: reach it inside a test");
    return kalmia;
  };
}
