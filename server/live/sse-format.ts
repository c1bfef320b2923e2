import type { LiveEvent } from "./live-event.ts";

// Serialised once per event, however many tabs are listening.
const encoded = new WeakMap<LiveEvent, string>();

/** An SSE frame for one event: `id:` enables Last-Event-ID resume. */
export function formatEvent(event: LiveEvent): string {
  let frame = encoded.get(event);
  if (frame === undefined) {
    // JSON.stringify never emits a raw newline, so the data fits on one line.
    frame = `id: ${event.id}\nevent: ${event.kind}\ndata: ${JSON.stringify(event.data)}\n\n`;
    encoded.set(event, frame);
  }
  return frame;
}

export function formatControl(name: string, data: object, id?: number | null): string {
  const idLine = id === undefined || id === null ? "" : `id: ${id}\n`;
  return `${idLine}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const heartbeatFrame = ": heartbeat\n\n";
