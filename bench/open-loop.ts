/**
 * Open-loop load: calls start on a fixed schedule whatever the answers do. One timer wakes about every
 * millisecond and starts every call that has come due since, so at thousands of calls/s the load
 * generator costs one timer per tick, not one per call, and stays off the critical path.
 */
import { summarize } from "./stats.ts";

export type Schedule = { rate: number; call: () => Promise<number> };
export type ScheduleResult = { samples: number[]; failures: number; sent: number };
export type OpenLoopRun = {
  results: ScheduleResult[];
  start: number;
  /** From the first call started to the last one started. */
  sendSeconds: number;
  /** How long each tick's oldest call waited past its scheduled start, ms. */
  lateness: { p99: number; max: number };
  /** Most calls in flight at once; Bun's fetch queues beyond 256 by default (BUN_CONFIG_MAX_HTTP_REQUESTS). */
  peakInFlight: number;
};

/** Runs each schedule at its rate for `seconds`; resolves once every call has answered or failed. */
export async function openLoop(schedules: Schedule[], seconds: number): Promise<OpenLoopRun> {
  const totals = schedules.map((s) => Math.round(s.rate * seconds));
  const results: ScheduleResult[] = schedules.map(() => ({ samples: [], failures: 0, sent: 0 }));
  const pending: Promise<void>[] = [];
  const lateness: number[] = [];
  let maxLateness = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  const start = performance.now();
  while (results.some((r, k) => r.sent < totals[k]!)) {
    const now = performance.now();
    schedules.forEach((schedule, k) => {
      const result = results[k]!;
      const due = Math.min(totals[k]!, Math.floor(((now - start) * schedule.rate) / 1000) + 1);
      if (result.sent >= due) return;
      const late = now - (start + (result.sent * 1000) / schedule.rate);
      lateness.push(late);
      maxLateness = Math.max(maxLateness, late);
      for (; result.sent < due; result.sent++) {
        inFlight++;
        const answered = schedule.call().then((ms) => void result.samples.push(ms), () => void result.failures++);
        pending.push(answered.finally(() => inFlight--));
      }
      peakInFlight = Math.max(peakInFlight, inFlight);
    });
    await Bun.sleep(1);
  }
  const sendSeconds = (performance.now() - start) / 1000;
  await Promise.all(pending);
  return { results, start, sendSeconds, lateness: { p99: summarize(lateness).p99, max: maxLateness }, peakInFlight };
}
