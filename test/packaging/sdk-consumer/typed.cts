// Typechecked by tsc under node16, nodenext and bundler: a CommonJS TypeScript file sees the "require"
// condition's .d.ts.
import OpenAI = require("openai");
import sdk = require("@kalmia/sdk");

async function main(): Promise<void> {
  sdk.initLogger({ projectName: process.env.KALMIA_PROJECT, baseUrl: process.env.KALMIA_BASE_URL });
  const client: OpenAI.OpenAI = sdk.wrapOpenAI(new OpenAI.OpenAI({ apiKey: "sk-test" }));
  const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [] });
  const reply: string | null = completion.choices[0]!.message.content;
  const flushed: sdk.FlushResult = await sdk.flush();
  console.log(reply, flushed);
}

void main();
