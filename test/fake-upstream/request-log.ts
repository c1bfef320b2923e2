/** What the fake received, so tests can assert what a proxy forwarded (and what it did not). */
export type RecordedRequest = {
  method: string;
  path: string;
  /** The query string, with its "?", or "". */
  query: string;
  headers: Record<string, string>;
  body: unknown;
  requestId: string;
  /** Set when the client went away before the answer was complete. */
  aborted: boolean;
  /** When that happened (Date.now()), for measuring how fast a proxy lets go. */
  abortedAt?: number;
};

const KEEP = 200;

export class RequestLog {
  #entries: RecordedRequest[] = [];

  async record(request: Request, requestId: string): Promise<{ entry: RecordedRequest; bodyText: string }> {
    const url = new URL(request.url);
    const bodyText = request.method === "GET" ? "" : await request.text();
    const entry: RecordedRequest = {
      method: request.method,
      path: url.pathname,
      query: url.search,
      headers: Object.fromEntries(request.headers),
      body: parseBody(bodyText),
      requestId,
      aborted: false,
    };
    request.signal.addEventListener(
      "abort",
      () => {
        entry.aborted = true;
        entry.abortedAt = Date.now();
      },
      { once: true },
    );
    this.#entries.push(entry);
    if (this.#entries.length > KEEP) this.#entries.shift();
    return { entry, bodyText };
  }

  all(): RecordedRequest[] {
    return [...this.#entries];
  }

  last(): RecordedRequest | undefined {
    return this.#entries.at(-1);
  }

  clear(): void {
    this.#entries = [];
  }
}

function parseBody(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
