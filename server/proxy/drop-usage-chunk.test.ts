import { expect, test } from "bun:test";
import { usageChunkDropper } from "./drop-usage-chunk.ts";

function through(pieces: (string | Uint8Array)[]): string {
  const encoder = new TextEncoder();
  const dropper = usageChunkDropper();
  const out = pieces.map((piece) => dropper.push(typeof piece === "string" ? encoder.encode(piece) : piece));
  out.push(dropper.flush());
  const decoder = new TextDecoder();
  return out.map((bytes) => (bytes ? decoder.decode(bytes, { stream: true }) : "")).join("") + decoder.decode();
}

const chunk = 'data: {"id":"c","choices":[{"index":0,"delta":{"content":"é"}}],"usage":null}\n\n';
const usageOnly = 'data: {"id":"c","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}}\n\n';

test("the usage-only chunk and the added usage:null are removed, everything else kept byte for byte", async () => {
  expect(through([chunk, usageOnly, "data: [DONE]\n\n"])).toBe('data: {"id":"c","choices":[{"index":0,"delta":{"content":"é"}}]}\n\ndata: [DONE]\n\n');
});

test("events split across reads, even inside a UTF-8 character, come out whole", async () => {
  const text = chunk + usageOnly + "data: [DONE]\n\n";
  const bytes = new TextEncoder().encode(text);
  const inside = bytes.indexOf(0xc3) + 1; // between the two bytes of "é"
  const pieces = [bytes.subarray(0, 7), bytes.subarray(7, inside), bytes.subarray(inside, inside + 30), bytes.subarray(inside + 30)];
  expect(through(pieces)).toBe(through([text]));
});
