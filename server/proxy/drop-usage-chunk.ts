const BOUNDARY = /\r?\n\r?\n/g;

export type ByteRewriter = { push(bytes: Uint8Array): Uint8Array | null; flush(): Uint8Array | null };

/**
 * Undoes the proxy's own `stream_options.include_usage` on the caller's branch: drops the final
 * usage-only chunk (`"choices":[]`) and the `"usage":null` the option adds to every other chunk,
 * so the caller gets what it asked for. Works on whole SSE events; a partial event waits for its end.
 */
export function usageChunkDropper(): ByteRewriter {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  const bytesOf = (text: string) => (text ? encoder.encode(text) : null);
  return {
    push(bytes) {
      pending += decoder.decode(bytes, { stream: true });
      let end = 0;
      let out = "";
      for (const match of pending.matchAll(BOUNDARY)) {
        const eventEnd = match.index + match[0].length;
        out += rewrite(pending.slice(end, eventEnd));
        end = eventEnd;
      }
      pending = pending.slice(end);
      return bytesOf(out);
    },
    flush() {
      const rest = pending + decoder.decode();
      pending = "";
      return bytesOf(rest && rewrite(rest));
    },
  };
}

function rewrite(event: string): string {
  if (event.includes('"choices":[]') && event.includes('"usage":{')) return "";
  return event.replaceAll(',"usage":null', "");
}
