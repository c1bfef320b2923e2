import { expect, test } from "bun:test";
import { dropUsageChunk } from "./drop-usage-chunk.ts";

async function through(pieces: (string | Uint8Array)[]): Promise<string> {
  const encoder = new TextEncoder();
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(typeof piece === "string" ? encoder.encode(piece) : piece);
      controller.close();
    },
  });
  return new Response(input.pipeThrough(dropUsageChunk())).text();
}

const chunk = 'data: {"id":"c","choices":[{"index":0,"delta":{"content":"é"}}],"usage":null}\n\n';
const usageOnly = 'data: {"id":"c","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}}\n\n';

test("the usage-only chunk and the added usage:null are removed, everything else kept byte for byte", async () => {
  expect(await through([chunk, usageOnly, "data: [DONE]\n\n"])).toBe('data: {"id":"c","choices":[{"index":0,"delta":{"content":"é"}}]}\n\ndata: [DONE]\n\n');
});

test("events split across reads, even inside a UTF-8 character, come out whole", async () => {
  const text = chunk + usageOnly + "data: [DONE]\n\n";
  const bytes = new TextEncoder().encode(text);
  const inside = bytes.indexOf(0xc3) + 1; // between the two bytes of "é"
  const pieces = [bytes.subarray(0, 7), bytes.subarray(7, inside), bytes.subarray(inside, inside + 30), bytes.subarray(inside + 30)];
  expect(await through(pieces)).toBe(await through([text]));
});
