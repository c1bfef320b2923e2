// Typechecked by tsc under node16, nodenext and bundler (the "import" condition's .d.ts), and run by Bun.
import OpenAI from "openai";
import { flush, initLogger, traced, wrapOpenAI, type FlushResult, type Span } from "@kalmia/sdk";

initLogger({ projectName: process.env.KALMIA_PROJECT, baseUrl: process.env.KALMIA_BASE_URL });
const client: OpenAI = wrapOpenAI(new OpenAI({ baseURL: `${process.env.UPSTREAM_URL}/v1`, apiKey: "sk-test" }));
const reply: string | null = await traced({ name: "typed-esm" }, async (_span: Span) => {
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Hello from TypeScript" }],
  });
  return completion.choices[0]!.message.content;
});
const flushed: FlushResult = await flush();
console.log(JSON.stringify({ reply, flushed }));
