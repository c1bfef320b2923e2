import type { RowSink } from "../span/span-types.ts";
import { warnOnce } from "../util/warn.ts";
import { backoffDelay } from "./backoff.ts";
import { postBatch } from "./post-batch.ts";

export interface SenderOptions {
  /** Full URL of the span endpoint, e.g. http://localhost:3000/api/v1/spans. */
  url: string;
  project: string;
  apiKey?: string | undefined;
  /** Past this many queued rows new rows are dropped (and counted). */
  maxQueueRows: number;
  maxBatchRows: number;
  maxBatchBytes: number;
  /** How long the first row of a batch waits for company. */
  batchDelayMs: number;
  requestTimeoutMs: number;
  /** Retries of one batch before it is dropped (and counted). */
  maxRetries: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** The request body for a batch of encoded items; by default span rows, `{"project":…,"rows":[…]}`. */
  bodyOf?: (items: string[]) => string;
}

export interface SenderStats {
  /** Rows waiting to be sent, including a batch in flight. */
  pending: number;
  sent: number;
  dropped: number;
}

export interface FlushResult extends SenderStats {
  /** True when every row recorded before the flush has been delivered or given up on. */
  flushed: boolean;
}

/**
 * Sends span rows to Kalmia off the caller's path. `enqueue` only pushes a string onto an array; a timer
 * (unref'd, so it never keeps the process alive) drains the queue one batch at a time, retrying 429, 5xx
 * and network failures with backoff and honouring Retry-After, and dropping other 4xx answers.
 */
export class BackgroundSender implements RowSink {
  #queue: string[] = [];
  #inFlight = 0;
  #sent = 0;
  #dropped = 0;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #backingOff = false;
  #pumping = false;
  #waiters = new Set<() => void>();
  /** Whether the last attempt failed and will be retried: the server is down, refusing or hung. */
  #failing = false;
  #onFailing = new Set<() => void>();
  #abort = new AbortController();
  /** Counts every enqueue, so the exit hook can tell whether anything new arrived since it last tried. */
  enqueuedTotal = 0;

  readonly options: SenderOptions;

  constructor(options: SenderOptions) {
    this.options = options;
  }

  enqueue(rowJson: string): void {
    if (this.#queue.length >= this.options.maxQueueRows) {
      this.#dropped++;
      warnOnce("queue-full", `span queue is full (${this.options.maxQueueRows} rows); dropping rows until it drains`);
      return;
    }
    this.#queue.push(rowJson);
    this.enqueuedTotal++;
    this.#schedule(this.options.batchDelayMs);
  }

  stats(): SenderStats {
    return { pending: this.#queue.length + this.#inFlight, sent: this.#sent, dropped: this.#dropped };
  }

  /**
   * Sends what is queued now and resolves when it is delivered, or after `timeoutMs`, whichever is first.
   * With `failingTimeoutMs`, it resolves that long after it began once the server is seen failing,
   * before the flush or while it waits.
   */
  flush(timeoutMs: number, options: { keepAlive?: boolean; failingTimeoutMs?: number } = {}): Promise<FlushResult> {
    if (this.#idle()) return Promise.resolve(this.#result());
    if (this.#timer && !this.#backingOff) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      void this.#pump();
    }
    const startedAt = Date.now();
    return new Promise((resolve) => {
      let cutShort: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        clearTimeout(deadline);
        clearTimeout(cutShort);
        this.#waiters.delete(done);
        this.#onFailing.delete(failing);
        resolve(this.#result());
      };
      // Ref'd unless asked otherwise: a caller awaiting flush() must be able to rely on it settling.
      const deadline = setTimeout(done, Math.max(0, timeoutMs));
      if (options.keepAlive === false) (deadline as { unref?: () => void }).unref?.();
      const failing = () => {
        if (cutShort === undefined && options.failingTimeoutMs !== undefined) cutShort = setTimeout(done, Math.max(0, startedAt + options.failingTimeoutMs - Date.now()));
      };
      this.#waiters.add(done);
      if (this.#failing) failing();
      else this.#onFailing.add(failing);
    });
  }

  /** Gives up on a request in flight (used when the process is leaving and the server does not answer). */
  abortInFlight(): void {
    this.#abort.abort();
    this.#abort = new AbortController();
  }

  #idle(): boolean {
    return this.#queue.length === 0 && this.#inFlight === 0;
  }

  #result(): FlushResult {
    return { flushed: this.#idle(), ...this.stats() };
  }

  #notify(): void {
    if (!this.#idle()) return;
    for (const waiter of [...this.#waiters]) waiter();
  }

  #schedule(delayMs: number): void {
    if (this.#timer || this.#pumping) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#backingOff = false;
      void this.#pump();
    }, delayMs);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #takeBatch(): string[] {
    let bytes = 0;
    let count = 0;
    while (count < this.#queue.length && count < this.options.maxBatchRows) {
      bytes += this.#queue[count]!.length;
      if (count > 0 && bytes > this.options.maxBatchBytes) break;
      count++;
    }
    return this.#queue.splice(0, count);
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#takeBatch();
        this.#inFlight = batch.length;
        const body = this.options.bodyOf ? this.options.bodyOf(batch) : `{"project":${JSON.stringify(this.options.project)},"rows":[${batch.join(",")}]}`;
        const outcome = await postBatch(
          { url: this.options.url, apiKey: this.options.apiKey, timeoutMs: this.options.requestTimeoutMs, signal: this.#abort.signal },
          body,
        );
        this.#inFlight = 0;
        this.#failing = outcome.kind === "retry";
        if (this.#failing) for (const listener of [...this.#onFailing]) listener();
        if (outcome.kind === "sent") {
          this.#sent += batch.length;
          this.#attempt = 0;
        } else if (outcome.kind === "rejected") {
          this.#dropped += batch.length;
          this.#attempt = 0;
          warnOnce(`rejected-${outcome.status}`, `Kalmia rejected ${batch.length} span rows (HTTP ${outcome.status}): ${outcome.reason}`);
        } else if (++this.#attempt > this.options.maxRetries) {
          this.#dropped += batch.length;
          this.#attempt = 0;
          warnOnce("gave-up", `dropping ${batch.length} span rows after ${this.options.maxRetries} retries (${outcome.reason})`);
        } else {
          this.#queue.unshift(...batch);
          const delay = backoffDelay(this.#attempt, this.options.backoffBaseMs, this.options.backoffCapMs, outcome.retryAfterMs);
          this.#pumping = false;
          this.#backingOff = true;
          this.#schedule(delay);
          return;
        }
        this.#notify();
      }
    } catch (error) {
      // Nothing above should throw; if it does, the rows are lost but the app is not.
      warnOnce("sender-bug", `span sender failed: ${String(error)}`);
    } finally {
      this.#pumping = false;
      this.#inFlight = 0;
      this.#notify();
    }
  }
}
