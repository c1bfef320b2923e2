/** A copy of a raw fetch `Response` to read beside the caller, or null for anything else. */
export function cloneOf(response: unknown): Response | null {
  if (typeof response !== "object" || response === null) return null;
  const clone = (response as { clone?: unknown }).clone;
  if (typeof clone !== "function") return null;
  try {
    return clone.call(response) as Response;
  } catch {
    // A body already read cannot be copied: no output, as before.
    return null;
  }
}

/**
 * Reads a server-sent-event body and hands each event's JSON data to `onItem`, in order: OpenAI's
 * chunks and typed events, Anthropic's message events. `[DONE]` and data that is not JSON are skipped.
 */
export async function readEventData(response: Response, onItem: (data: unknown) => void): Promise<void> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let pending = "";
  const flush = (event: string) => {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).replace(/^ /, ""))
      .join("\n");
    if (!data || data === "[DONE]") return;
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      return;
    }
    onItem(value);
  };
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    pending += done ? decoder.decode() : decoder.decode(value, { stream: true });
    const events = pending.split(/\r?\n\r?\n/);
    pending = events.pop() ?? "";
    for (const event of events) flush(event);
    if (done) break;
  }
  if (pending.trim()) flush(pending);
}
