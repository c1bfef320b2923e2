// A CommonJS project's use of the packed SDK: `require` resolves the "require" condition (dist/cjs).
const { OpenAI } = require("openai");
const { flush, initLogger, wrapOpenAI } = require("@kalmia/sdk");

async function main() {
  initLogger({ projectName: process.env.KALMIA_PROJECT, baseUrl: process.env.KALMIA_BASE_URL });
  const client = wrapOpenAI(new OpenAI({ baseURL: `${process.env.UPSTREAM_URL}/v1`, apiKey: "sk-test" }));
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Hello from CommonJS" }],
  });
  await flush();
  console.log(JSON.stringify({ reply: completion.choices[0].message.content }));
}

main();
