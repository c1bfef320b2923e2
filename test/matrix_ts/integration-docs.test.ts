// Every ```ts block of docs/integrations/, run as written as a program of its own against a real Kalmia
// and the fake provider. Only the environment and three strings differ from a user's machine: the
// provider clients find the fake through OPENAI_BASE_URL / ANTHROPIC_BASE_URL (as they find any server),
// `@kalmia/sdk` is the packed tarball as installed (packed-sdk.ts), and `http://localhost:3000` and
// `my-project` become this test's server and a project of the example's own, so that what it recorded
// can be read back.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ANSWER, finishedTraces, startMatrixStack, type MatrixStack } from "./matrix-stack.ts";
import { packedSdkEntry } from "./packed-sdk.ts";

const DOCS = fileURLToPath(new URL("../../docs/integrations/", import.meta.url));
const EXAMPLES = readdirSync(DOCS)
  .filter((name) => name.endsWith(".md"))
  .sort()
  .flatMap((name) => [...readFileSync(`${DOCS}${name}`, "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((match, index) => ({ page: name.replace(/\.md$/, ""), index, code: match[1]! })));

let stack: MatrixStack;
beforeAll(async () => {
  stack = await startMatrixStack({ keys: false });
}, 60_000);
afterAll(() => stack?.stop(), 30_000);

for (const { page, index, code } of EXAMPLES) {
  test(`docs/integrations/${page}.md example ${index} runs as written and records complete llm spans`, async () => {
    const project = `docs-ts-${page}-${index}-${crypto.randomUUID().slice(0, 6)}`;
    const program = code
      .replace(/from "@kalmia\/sdk"/g, `from ${JSON.stringify(packedSdkEntry)}`)
      .replaceAll("http://localhost:3000", stack.kalmiaUrl)
      .replaceAll('"my-project"', JSON.stringify(project));
    const file = fileURLToPath(new URL(`./.docs-example-${page}-${index}.ts`, import.meta.url));
    writeFileSync(file, program);
    try {
      const env: Record<string, string> = { ...(process.env as Record<string, string>), OPENAI_BASE_URL: `${stack.upstream.url}/v1`, OPENAI_API_KEY: "sk-dummy", ANTHROPIC_BASE_URL: stack.upstream.url, ANTHROPIC_API_KEY: "sk-ant-dummy" };
      for (const key of Object.keys(env)) if (key.startsWith("KALMIA_") || key.startsWith("OTEL_")) delete env[key];
      const child = Bun.spawn([process.execPath, file], { env, stdout: "pipe", stderr: "pipe" });
      const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
      expect(exitCode, stderr).toBe(0);
      expect(stdout).toContain(ANSWER.slice(0, 20));
    } finally {
      rmSync(file, { force: true });
    }
    const traces = await finishedTraces(stack.kalmiaUrl, project, 1);
    const spans = traces.flatMap((trace) => trace.spans).filter((span: any) => span.type === "llm");
    expect(spans.length).toBeGreaterThan(0);
    for (const span of spans) {
      expect(span.status).toBe("ok");
      expect(span.output).toBeTruthy();
      expect(span.metrics.prompt_tokens).toBeGreaterThan(0);
      expect(span.metrics.completion_tokens).toBeGreaterThan(0);
    }
  }, 60_000);
}
