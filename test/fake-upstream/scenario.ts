/**
 * What a request asks the fake upstream to do, read from its `x-fake-*` headers.
 * Scenarios combine: `x-fake-scenario: thinking, slow`.
 */
export type Scenario = {
  names: ReadonlySet<string>;
  /** Status to fail with before any byte of the answer (`error-429` → 429). */
  errorStatus: number | null;
  /** Number of text pieces in the answer; null keeps the natural split. */
  chunks: number | null;
  /** Pause before each delta frame after the first one. */
  delayMs: number;
  /** Pause before the response headers. */
  latencyMs: number;
  /**
   * `echo-key`: the credential the request carried, which the answer text, any error message and the
   * request-id header then repeat verbatim (as a careless gateway or an old API error would).
   */
  echo: string | null;
};

const SLOW_CHUNKS = 64;
const SLOW_DELAY_MS = 20;

export function readScenario(headers: Headers): Scenario {
  const names = new Set(
    (headers.get("x-fake-scenario") ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const slow = names.has("slow");
  return {
    names,
    errorStatus: errorStatusOf(names),
    chunks: numberHeader(headers, "x-fake-chunks") ?? (slow ? SLOW_CHUNKS : null),
    delayMs: numberHeader(headers, "x-fake-delay-ms") ?? (slow ? SLOW_DELAY_MS : 0),
    latencyMs: numberHeader(headers, "x-fake-latency-ms") ?? 0,
    echo: names.has("echo-key") ? credentialOf(headers) : null,
  };
}

function credentialOf(headers: Headers): string | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1];
  return bearer ?? headers.get("x-api-key") ?? headers.get("api-key");
}

function errorStatusOf(names: ReadonlySet<string>): number | null {
  for (const name of names) {
    const match = /^error-(\d{3})$/.exec(name);
    if (match) return Number(match[1]);
  }
  return null;
}

function numberHeader(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null) return null;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : null;
}
