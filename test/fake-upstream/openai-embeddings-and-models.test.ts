import { afterAll, beforeAll, expect, test } from "bun:test";
import OpenAI from "openai";
import { startFakeUpstream, type FakeUpstream } from "./start-fake-upstream.ts";

let upstream: FakeUpstream;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  client = new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: "sk-fake", maxRetries: 0 });
});
afterAll(() => upstream.stop());

test("embeddings decode from the client's default base64 encoding into float vectors", async () => {
  const result = await client.embeddings.create({ model: "text-embedding-3-small", input: ["one", "two"], dimensions: 4 });
  expect(result.data).toHaveLength(2);
  expect(result.data[0].embedding).toHaveLength(4);
  expect(result.data[0].embedding.every((value) => typeof value === "number" && value >= -0.5 && value <= 0.5)).toBe(true);
  expect((upstream.lastRequest()!.body as any).encoding_format).toBe("base64");
});

test("the models list pages through in the client", async () => {
  const ids: string[] = [];
  for await (const model of client.models.list()) ids.push(model.id);
  expect(ids).toContain("gpt-4o");
});
