import assert from "node:assert/strict";
import { currentSpan, traced, wrapOpenAI } from "../src/index.ts";
import { llmFixture } from "./support/llm-fixture.ts";
import { test } from "./support/runner.ts";

const fx = llmFixture();

async function listed(query: string): Promise<any[]> {
  const response = await fetch(`${fx.kalmiaUrl()}/api/v1/traces?${query}`);
  return ((await response.json()) as { traces: any[] }).traces;
}

test("traced options set the trace's user, session, tags and metadata; the llm call inside inherits them", async () => {
  const project = fx.project("context");
  const client = wrapOpenAI(fx.openai());
  const answer = traced(
    async (question: string) => {
      await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: question }] });
      return "done";
    },
    { name: "support-bot", userId: "u-42", sessionId: "chat-7", tags: ["prod", "v2"], metadata: { tenant: "acme" } },
  );
  await answer("hi");
  const [trace] = await fx.traces(1);
  const found = await listed(`project=${project}&user=u-42&session=chat-7&tag=prod&tag=v2&metadata.tenant=acme`);
  assert.deepEqual(found.map((t) => t.id), [trace!.id]);
  assert.deepEqual([found[0].user_id, found[0].session_id, found[0].tags], ["u-42", "chat-7", ["prod", "v2"]]);
  assert.equal(trace!.spans.length, 2);
});

test("currentSpan().log sets them later; the logger's default metadata is on every trace, under the trace's own", async () => {
  const project = fx.project("context-log", { metadata: { region: "eu-west-1", tenant: "default" } });
  await traced({ name: "agent", type: "task", metadata: { tenant: "initech" } }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    currentSpan().log({ userId: 7, sessionId: "s-late", tags: ["beta"] });
  });
  await fx.traces(1);
  const [trace] = await listed(`project=${project}&metadata.region=eu-west-1`);
  assert.deepEqual([trace.user_id, trace.session_id, trace.tags], ["7", "s-late", ["beta"]]);
  assert.equal(trace.metadata.tenant, "initech");
});

test("values past the server's bounds are cut, never lose the span", async () => {
  const project = fx.project("context-bounds");
  const odd = traced(() => 1, { name: "odd", userId: { not: "an id" } as never, tags: ["t".repeat(10_000), ...Array.from({ length: 1_000 }, (_, i) => `t${i}`)] });
  assert.equal(odd(), 1);
  await fx.traces(1);
  const [trace] = await listed(`project=${project}`);
  assert.equal(trace.user_id, null);
  assert.equal(trace.tags.length, 100);
  assert.equal(trace.tags[0], "t".repeat(200));
});
