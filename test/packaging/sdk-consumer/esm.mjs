// A Node ES module project's use of the packed SDK: `import` resolves the "import" condition (dist/esm).
import OpenAI from "openai";
import { flush, initLogger, wrapOpenAI } from "@kalmia/sdk";

initLogger({ projectName: process.env.KALMIA_PROJECT, baseUrl: process.env.KALMIA_BASE_URL });
const client = wrapOpenAI(new OpenAI({ baseURL: `${process.env.UPSTREAM_URL}/v1`, apiKey: "sk-test" }));
const completion = await client.chat.completions.create({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "Hello from an ES module" }],
});
await flush();
console.log(JSON.stringify({ reply: completion.choices[0].message.content }));
