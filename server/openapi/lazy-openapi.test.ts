import { expect, test } from "bun:test";
import { bunPath } from "../../test/harness/start-kalmia.ts";

// In a process of its own: the module cache is the process's, and other test files load the generator.
const probe = `
  import { startInProcess } from "./test/harness/in-process.ts";
  const loaded = () => Object.keys(require.cache).some((path) => path.includes("@elysiajs/openapi"));
  const kalmia = await startInProcess();
  const atIdle = loaded();
  const status = (await fetch(kalmia.url + "/api/openapi.json")).status;
  console.log(JSON.stringify({ atIdle, status, afterAsking: loaded() }));
  await kalmia.stop();
  process.exit(0);
`;

test("an idle server has not loaded the OpenAPI generator; the first request for the document loads it", async () => {
  const child = Bun.spawn([bunPath, "-e", probe], { cwd: `${import.meta.dir}/../..`, stdout: "pipe", stderr: "pipe" });
  const [out, err] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  const line = out.split("\n").find((l) => l.startsWith("{"));
  expect(line, err).toBeDefined();
  expect(JSON.parse(line!)).toEqual({ atIdle: false, status: 200, afterAsking: true });
});
