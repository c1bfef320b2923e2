export type ProxyOptions = Readonly<{
  /** Largest request body forwarded (documented in the README's proxy section): 32 MiB, room for base64 images. */
  bodyLimitBytes: number;
  /** How long to wait for the upstream's response headers before answering 504. */
  upstreamTimeoutMs: number;
  /** How long a call runs before its `running` row is written (see ProxySpan); 0 writes it at once. */
  runningRowDelayMs: number;
}>;

export const DEFAULT_BODY_LIMIT_BYTES = 32 * 1024 * 1024;
// OpenAI's and Anthropic's own clients wait ten minutes for a non-streamed answer.
const DEFAULT_TIMEOUT_MS = 600_000;

/** Read once when the plugin is built; a bad value names its variable. */
export function proxyOptionsFromEnv(env: Record<string, string | undefined> = process.env): ProxyOptions {
  const raw = env.KALMIA_PROXY_TIMEOUT_MS;
  const timeout = raw === undefined || raw === "" ? DEFAULT_TIMEOUT_MS : Number(raw);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new Error(`KALMIA_PROXY_TIMEOUT_MS must be a positive integer of milliseconds, got "${raw}"`);
  return Object.freeze({ bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES, upstreamTimeoutMs: timeout, runningRowDelayMs: 50 });
}
