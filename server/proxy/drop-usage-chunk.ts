const BOUNDARY = /\r?\n\r?\n/g;

/**
 * Undoes the proxy's own `stream_options.include_usage` on the caller's branch: drops the final
 * usage-only chunk (`"choices":[]`) and the `"usage":null` the option adds to every other chunk,
 * so the caller gets what it asked for. Works on whole SSE events; a partial event waits for its end.
 */
export function dropUsageChunk(): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  return new TransformStream({
    transform(bytes, controller) {
      pending += decoder.decode(bytes, { stream: true });
      let end = 0;
      let out = "";
      for (const match of pending.matchAll(BOUNDARY)) {
        const eventEnd = match.index + match[0].length;
        out += rewrite(pending.slice(end, eventEnd));
        end = eventEnd;
      }
      pending = pending.slice(end);
      if (out) controller.enqueue(encoder.encode(out));
    },
    flush(controller) {
      const rest = pending + decoder.decode();
      if (rest) controller.enqueue(encoder.encode(rewrite(rest)));
    },
  });
}

function rewrite(event: string): string {
  if (event.includes('"choices":[]') && event.includes('"usage":{')) return "";
  return event.replaceAll(',"usage":null', "");
}
