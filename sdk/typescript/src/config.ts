import { warnOnce } from "./util/warn.ts";

export interface InitLoggerOptions {
  /** Project (and dashboard experiment) the spans go to. Fallback: `KALMIA_PROJECT`, then "default". */
  projectName?: string;
  /** Where Kalmia runs. Fallback: `KALMIA_BASE_URL`, then http://localhost:3000. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <apiKey>` when set. Fallback: `KALMIA_API_KEY`. */
  apiKey?: string;
  /** Rows kept while the server is slow or down; past this, new rows are dropped and counted. Default 10000. */
  maxQueueRows?: number;
  /** How long a row waits to be batched with others, in ms. Default 50. */
  batchDelayMs?: number;
  /**
   * Per-request timeout, in ms. Default 15000: Kalmia holds a request up to 10 s waiting for its commit
   * before answering 202, and an answer is worth more than a retry (though retries are safe: rows merge by id).
   */
  requestTimeoutMs?: number;
  /** Retries of a batch on 429/5xx/network errors before it is dropped. Default 8. */
  maxRetries?: number;
  /** How long the flush at process exit may take, in ms. Default 3000. */
  exitFlushTimeoutMs?: number;
  /** Service-wide metadata (a region, a release) on every trace, under each trace's own keys. */
  metadata?: Record<string, unknown>;
}

export interface LoggerConfig {
  readonly projectName: string;
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  readonly spansUrl: string;
  readonly scoresUrl: string;
  readonly maxQueueRows: number;
  readonly batchDelayMs: number;
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  readonly exitFlushTimeoutMs: number;
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
}

const DEFAULT_BASE_URL = "http://localhost:3000";

/**
 * Explicit option, then environment, then default, read once into a frozen object. An unusable value is
 * reported by the name of the option or variable it came from and replaced by the default: tracing
 * configuration must not be able to crash the app.
 */
export function resolveConfig(options: InitLoggerOptions = {}): LoggerConfig {
  const env = readEnv();
  const projectName = options.projectName || env.KALMIA_PROJECT || "default";
  const baseUrl = resolveBaseUrl(options.baseUrl ? ["baseUrl", options.baseUrl] : env.KALMIA_BASE_URL ? ["KALMIA_BASE_URL", env.KALMIA_BASE_URL] : undefined);
  return Object.freeze({
    projectName,
    baseUrl,
    apiKey: options.apiKey || env.KALMIA_API_KEY || undefined,
    spansUrl: `${baseUrl}/api/v1/spans`,
    scoresUrl: `${baseUrl}/api/v1/scores`,
    maxQueueRows: positive("maxQueueRows", options.maxQueueRows, 10_000),
    batchDelayMs: positive("batchDelayMs", options.batchDelayMs, 50, true),
    requestTimeoutMs: positive("requestTimeoutMs", options.requestTimeoutMs, 15_000),
    maxRetries: positive("maxRetries", options.maxRetries, 8, true),
    exitFlushTimeoutMs: positive("exitFlushTimeoutMs", options.exitFlushTimeoutMs, 3_000, true),
    metadata: isRecord(options.metadata) && Object.keys(options.metadata).length ? Object.freeze({ ...options.metadata }) : undefined,
  });
}

/** True when the environment alone says where to send spans (so calls trace without initLogger). */
export function environmentConfigured(): boolean {
  const env = readEnv();
  return Boolean(env.KALMIA_BASE_URL || env.KALMIA_PROJECT);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function readEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

function resolveBaseUrl(source: [name: string, value: string] | undefined): string {
  if (!source) return DEFAULT_BASE_URL;
  const [name, value] = source;
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http(s)");
    return url.href.replace(/\/+$/, "");
  } catch {
    warnOnce(`bad-${name}`, `${name} is not an http(s) URL (${JSON.stringify(value)}); using ${DEFAULT_BASE_URL}`);
    return DEFAULT_BASE_URL;
  }
}

function positive(name: string, value: number | undefined, fallback: number, zeroOk = false): number {
  if (value === undefined) return fallback;
  if (Number.isFinite(value) && (value > 0 || (zeroOk && value === 0))) return value;
  warnOnce(`bad-${name}`, `${name} must be a ${zeroOk ? "non-negative" : "positive"} number (got ${String(value)}); using ${fallback}`);
  return fallback;
}
