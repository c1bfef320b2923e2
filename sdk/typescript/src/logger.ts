import { environmentConfigured, resolveConfig, type InitLoggerOptions, type LoggerConfig } from "./config.ts";
import { BackgroundSender, type FlushResult, type SenderStats } from "./sender/background-sender.ts";
import { installExitFlush } from "./sender/exit-flush.ts";
import type { RowSink } from "./span/span-types.ts";

/** The handle `initLogger()` returns. */
export interface Logger {
  readonly config: LoggerConfig;
  /** Sends what is queued; resolves when delivered or after `timeoutMs` (default 5000), never rejects. */
  flush(options?: { timeoutMs?: number }): Promise<FlushResult>;
  /** Rows pending, sent and dropped so far. */
  stats(): SenderStats;
}

class SpanLogger implements Logger {
  readonly sender: BackgroundSender;
  readonly config: LoggerConfig;

  constructor(config: LoggerConfig) {
    this.config = config;
    this.sender = new BackgroundSender({
      url: config.spansUrl,
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

  flush(options?: { timeoutMs?: number }): Promise<FlushResult> {
    return this.sender.flush(options?.timeoutMs ?? 5_000);
  }

  stats(): SenderStats {
    return this.sender.stats();
  }
}

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
  if (previous) void previous.sender.flush(previous.config.requestTimeoutMs, { keepAlive: false });
  installExitFlush(() => current && { sender: current.sender, timeoutMs: current.config.exitFlushTimeoutMs });
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
