// Property: for random valid-looking rows with extreme values (the largest counts, huge floats,
// long and odd ids, odd strings, deep values), every 2xx answer's rows are readable afterwards,
// every row not stored is named in the answer, and nothing is answered 5xx. On each backend.
import { describe, expect, test } from "bun:test";
import { storageBackends } from "../harness/backends.ts";
import { serverOn } from "../harness/server-on-backend.ts";

/** A small seeded generator (mulberry32), so a failure can be replayed from its seed. */
function randomFrom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

const now = Math.floor(Date.now() / 1000);
const MAX_INT = 2 ** 31 - 1;

function nested(depth: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { k: value };
  return value;
}

// Each value: an extreme the API takes, or now and then (BAD_ODDS) one it must refuse and name.
const BAD_ODDS = 0.04;
const IDS = {
  good: ["span-1", "a", "x".repeat(512), "😀".repeat(256), "é".repeat(512), "中".repeat(340), "with space", "a/b?c#d", "%41", "ünïcödé", "\u2028line", "'; drop table spans; --"],
  bad: ["x".repeat(513), "😀".repeat(257), "中".repeat(400), "nul\u0000id", "lone\ud800", ""],
};
const TIMES = { good: [now, now + 1, now - 86_400, 946_684_800, now + 80_000, 1.5e9], bad: [946_684_799, now + 90_000, 1e20, -1e15, -1, 0] };
const COUNTS = { good: [0, 1, MAX_INT, null], bad: [MAX_INT + 1, 2 ** 53, 1.5, -1, 1e308] };
const COSTS = { good: [0, 5e-324, 0.001, 1e9, null], bad: [1e9 + 1, 1e308, -0.5] };
const TTFTS = { good: [0, 0.25, 86_400, null], bad: [86_401, 1e306] };
const VALUES = {
  good: ["plain", "", "😀", "x".repeat(100_000), 1e308, -1e308, 5e-324, MAX_INT, true, null, nested(62), nested(63), [[[[]]]], { "": "" }],
  bad: ["\u0000", "a\ud800b", "\udc00", nested(64), nested(70), { "k\u0000": 1 }, { ["\ud800"]: 1 }],
};
const PROJECTS = { good: ["props", "p".repeat(200), "😀 project"], bad: ["p".repeat(201), "props\u0000", "props\ud800", ""] };

type Choices<T> = { good: readonly T[]; bad: readonly T[] };

function randomRow(r: ReturnType<typeof randomFrom>, traceIds: string[]) {
  const any = <T>(choices: Choices<T>): T => r.pick(r.next() < BAD_ODDS ? choices.bad : choices.good);
  const trace = r.pick(traceIds);
  const start = any(TIMES);
  const metrics: Record<string, unknown> = { start, end: r.next() < 0.9 ? start + r.pick([0, 1, 3600]) : any(TIMES) };
  for (const key of ["prompt_tokens", "completion_tokens", "tokens", "prompt_cached_tokens"]) if (r.next() < 0.5) metrics[key] = any(COUNTS);
  if (r.next() < 0.5) metrics.cost_usd = any(COSTS);
  if (r.next() < 0.3) metrics.time_to_first_token = any(TTFTS);
  return {
    id: any(IDS),
    root_span_id: trace,
    trace_id: trace,
    span_attributes: { name: r.pick(["llm call", "😀", "x".repeat(2000)]), type: r.pick(["llm", "tool", "task"]) },
    input: any(VALUES),
    output: any(VALUES),
    metadata: r.next() < 0.5 ? { value: any(VALUES), model: "gpt-4o", provider: "openai" } : undefined,
    metrics,
  };
}

type Answer = { status: number; body: any };

for (const backend of storageBackends()) {
  describe(`extreme rows on ${backend.name}`, () => {
    const kalmia = serverOn(backend);

    const send = async (path: string, body: unknown): Promise<Answer> => {
      const response = await kalmia().post(path, body);
      return { status: response.status, body: await response.json() };
    };

    /** The stored span `id` of trace `traceId`, or null. */
    async function readSpan(traceId: string, id: string): Promise<any> {
      const response = await fetch(`${kalmia().url}/api/v1/traces/${encodeURIComponent(traceId)}`);
      if (response.status !== 200) return null;
      const trace: any = await response.json();
      return trace.spans.find((s: any) => s.id === id) ?? null;
    }

    /** The answer's own account: 2xx takes every row but those named; 400 takes none; nothing else. */
    function checkAnswer(answer: Answer, count: number, context: string): Set<number> {
      expect([200, 207, 400], context).toContain(answer.status);
      const named = new Set<number>((answer.body.errors ?? []).map((e: any) => e.index));
      for (const e of answer.body.errors ?? []) expect(typeof e.path === "string" && typeof e.message === "string", context).toBe(true);
      if (answer.status === 400) return new Set(Array.from({ length: count }, (_, i) => i));
      expect(answer.body.accepted, context).toBe(count - named.size);
      return named;
    }

    test("span rows: every row a 2xx answer takes is readable, every other one is named", async () => {
      let read = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const r = randomFrom(seed);
        const traceIds = [`prop-${backend.name}-${seed}`, r.pick(IDS.good), `prop-${backend.name}-${seed}-b`];
        const rows = Array.from({ length: 1 + Math.floor(r.next() * 8) }, () => randomRow(r, traceIds));
        const answer = await send("/api/v1/spans", { project: r.pick(r.next() < BAD_ODDS ? PROJECTS.bad : PROJECTS.good), rows });
        const context = `seed ${seed}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
        if (answer.status === 400 && !answer.body.errors) continue; // the body's project, named in the message
        const refused = checkAnswer(answer, rows.length, context);
        for (let i = 0; i < rows.length; i++) {
          if (refused.has(i)) continue;
          expect(await readSpan(rows[i]!.trace_id, rows[i]!.id), `${context}: row ${i} answered stored`).not.toBeNull();
          read++;
        }
      }
      // Not a property of nothing: the values mix so that many rows pass.
      expect(read).toBeGreaterThan(30);
    });

    test("ingested traces: every trace a 2xx answer takes is readable with its spans, every other one is named", async () => {
      let read = 0;
      for (let seed = 101; seed <= 140; seed++) {
        const r = randomFrom(seed);
        const traces = Array.from({ length: 1 + Math.floor(r.next() * 4) }, (_, t) => {
          const any = <T>(choices: Choices<T>): T => r.pick(r.next() < BAD_ODDS ? choices.bad : choices.good);
          const id = r.next() < 0.8 ? `ingest-${backend.name}-${seed}-${t}` : any(IDS);
          return {
            id,
            project_id: any(PROJECTS),
            input: any(VALUES),
            metrics: r.next() < 0.5 ? { start: any(TIMES) } : undefined,
            spans: Array.from({ length: Math.floor(r.next() * 4) }, () => {
              const { trace_id: _t, root_span_id: _r, ...span } = randomRow(r, [id]);
              return { ...span, id: any(IDS) };
            }),
          };
        });
        const answer = await send("/api/v1/traces/ingest", traces);
        const context = `seed ${seed}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
        const refused = checkAnswer(answer, traces.length, context);
        for (let i = 0; i < traces.length; i++) {
          if (refused.has(i)) continue;
          for (const span of traces[i]!.spans) {
            expect(await readSpan(traces[i]!.id, span.id), `${context}: trace ${i} span ${JSON.stringify(span.id.slice(0, 20))}`).not.toBeNull();
          }
          expect((await fetch(`${kalmia().url}/api/v1/traces/${encodeURIComponent(traces[i]!.id)}`)).status, context).toBe(200);
          read++;
        }
      }
      expect(read).toBeGreaterThan(15);
    });
  });
}
