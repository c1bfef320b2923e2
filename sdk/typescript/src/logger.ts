import { environmentConfigured, resolveConfig, type InitLoggerOptions, type LoggerConfig } from "./config.ts";
import { BackgroundSender, type FlushResult, type SenderStats } from "./sender/background-sender.ts";
import { installExitFlush } from "./sender/exit-flush.ts";
import type { RowSink } from "./span/span-types.ts";
import { feedbackItems, type FeedbackEvent } from "./feedback/feedback.ts";
import { warnOnce } from "./util/warn.ts";

/** The handle `initLogger()` returns. */
export interface Logger {
  readonly config: LoggerConfig;
  /** Sends what is queued; resolves when delivered or after `timeoutMs` (default 5000), never rejects. */
  flush(options?: { timeoutMs?: number }): Promise<FlushResult>;
  /** Rows pending, sent and dropped so far. */
  stats(): SenderStats;
  /**
   * Scores a span (or its trace) after the fact, e.g. a user's thumbs-down: sent in the background to
   * `POST /api/v1/scores`; never throws, never waits.
   *
   * @example
   * logger.logFeedback({ id: spanId, scores: { user_feedback: 0 }, comment: "wrong city" });
   */
  logFeedback(event: FeedbackEvent): void;
}

class SpanLogger implements Logger {
  readonly sender: BackgroundSender;
  /** Feedback scores: a queue of their own, to POST /api/v1/scores. */
  readonly feedback: BackgroundSender;
  readonly config: LoggerConfig;

  constructor(config: LoggerConfig) {
    this.config = config;
    this.sender = this.#sender(config.spansUrl);
    this.feedback = this.#sender(config.scoresUrl, (items) => `[${items.join(",")}]`);
  }

  #sender(url: string, bodyOf?: (items: string[]) => string): BackgroundSender {
    const config = this.config;
    return new BackgroundSender({
      url,
      bodyOf,
      project: config.projectName,
      apiKey: config.apiKey,
      maxQueueRows: config.maxQueueRows,
      maxBatchRows: 500,
      maxBatchBytes: 4 * 1024 * 1024,
      batchDelayMs: config.batchDelayMs,
      requestTimeoutMs: config.requestTimeoutMs,
      maxRetries: config.maxRetries,
      backoffBaseMs: 100,
      backoffCapMs: 30_000,
    });
  }

  async flush(options?: { timeoutMs?: number }): Promise<FlushResult> {
    const timeoutMs = options?.timeoutMs ?? 5_000;
    const [spans, feedback] = await Promise.all([this.sender.flush(timeoutMs), this.feedback.flush(timeoutMs)]);
    return { flushed: spans.flushed && feedback.flushed, ...sum(spans, feedback) };
  }

  stats(): SenderStats {
    return sum(this.sender.stats(), this.feedback.stats());
  }

  logFeedback(event: FeedbackEvent): void {
    try {
      for (const item of feedbackItems(event, this.config.projectName)) this.feedback.enqueue(item);
    } catch (error) {
      warnOnce("feedback", `could not record feedback: ${String(error)}`);
    }
  }
}

const sum = (a: SenderStats, b: SenderStats): SenderStats => ({ pending: a.pending + b.pending, sent: a.sent + b.sent, dropped: a.dropped + b.dropped });

let current: SpanLogger | undefined;
const NOWHERE: RowSink = { enqueue() {} };

/**
 * Points traces at a Kalmia instance. Call once at start-up; options override `KALMIA_PROJECT`,
 * `KALMIA_BASE_URL` and `KALMIA_API_KEY`.
 *
 * @example
 * initLogger({ projectName: "my-project", baseUrl: "http://localhost:3000" });
 */
export function initLogger(options: InitLoggerOptions = {}): Logger {
  const previous = current;
  current = new SpanLogger(resolveConfig(options));
  // Rows already queued for the previous logger still go out, in the background, without holding the process.
  if (previous) {
    for (const sender of [previous.sender, previous.feedback]) void sender.flush(previous.config.requestTimeoutMs, { keepAlive: false });
  }
  installExitFlush(() => current && { senders: [current.sender, current.feedback], timeoutMs: current.config.exitFlushTimeoutMs });
  return current;
}

let fromEnvironment: boolean | undefined;

/**
 * Where spans go right now: the logger's sender, one made from the environment (KALMIA_BASE_URL or
 * KALMIA_PROJECT set, checked once) when initLogger() was never called, or nowhere.
 */
export function currentSink(): RowSink {
  if (current) return current.sender;
  fromEnvironment ??= environmentConfigured();
  if (fromEnvironment) {
    initLogger();
    return current!.sender;
  }
  return NOWHERE;
}

/** The current logger's service-wide metadata, if any (initLogger's `metadata`). */
export function currentMetadata(): Readonly<Record<string, unknown>> | undefined {
  return current?.config.metadata;
}

/**
 * Sends every span recorded so far. Resolves within `timeoutMs` (default 5000) even when the server
 * hangs, and never rejects.
 *
 * @example
 * await flush({ timeoutMs: 2000 });
 */
export async function flush(options?: { timeoutMs?: number }): Promise<FlushResult> {
  if (!current) return { flushed: true, pending: 0, sent: 0, dropped: 0 };
  return current.flush(options);
}
