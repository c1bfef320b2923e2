import { Elysia, t } from "elysia";
import type { LiveBus, LiveEvent } from "./bus.ts";
import { openLiveStream } from "./live-stream.ts";
import { answers } from "../openapi/describe.ts";
import { LiveQuery } from "../openapi/schemas.ts";

export type LiveRoutesOptions = {
  /** Quiet time before a heartbeat comment; under typical proxy idle limits. */
  heartbeatMs?: number;
};

/**
 * GET /api/v1/live — Server-Sent Events of trace and span changes.
 * `?project=`, `?trace_id=` and `?events=trace|span` filter; `Last-Event-ID` (header, or
 * `?last_event_id=` for clients that reconnect by hand) resumes without gaps.
 */
/** How long a dropped subscriber's connection may sit without progress before it is closed. */
const DROPPED_IDLE_SECONDS = 1;

export function liveRoutes(bus: LiveBus, options: LiveRoutesOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  return new Elysia({ name: "kalmia-live" }).get("/api/v1/live", ({ request, query, server }) => {
    // The feed is meant to stay open for hours. Opt it out of Bun's
    // per-connection idle timeout (10 s by default) explicitly, not relying on
    // Bun 1.4 sparing a response whose body is still open; the heartbeat
    // covers the proxies in between. live-idle.test.ts checks the outcome.
    server?.timeout(request, 0);
    const params = query as Record<string, string | undefined>;
    const stream = openLiveStream(bus, {
      project: params.project || null,
      traceId: params.trace_id || null,
      kinds: parseKinds(params.events),
      lastEventId: parseEventId(request.headers.get("last-event-id") ?? params.last_event_id),
      heartbeatMs,
      signal: request.signal,
      // Bun neither ends nor closes a response whose client stopped reading (not on close(), not on
      // error()); its idle timeout does, once nothing has moved for a while (Bun checks every few
      // seconds). A slow client still reading gets the rest, then the stream's end.
      closeConnection: () => server?.timeout(request, DROPPED_IDLE_SECONDS),
    });
    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
    });
  }, {
    query: LiveQuery,
    detail: {
      summary: "Live feed (Server-Sent Events)",
      description: "New and changed traces and spans as they are written; Last-Event-ID (header or last_event_id) resumes without gaps.",
      tags: ["live"],
      responses: answers({ 200: ["an event stream that stays open", { "text/event-stream": t.String() }] }),
    },
  });
}

/** `events=trace`, `events=span` or both comma-separated; absent or unknown ⇒ every kind. */
function parseKinds(raw: string | undefined): LiveEvent["kind"][] | null {
  const kinds = (raw ?? "").split(",").filter((k): k is LiveEvent["kind"] => k === "trace" || k === "span");
  return kinds.length ? kinds : null;
}

/** Absent ⇒ null (live from now on); unreadable ⇒ -1, which the bus reports as a gap. */
function parseEventId(raw: string | undefined | null): number | null {
  if (raw === undefined || raw === null || raw === "") return null;
  return /^\d+$/.test(raw) ? Number(raw) : -1;
}
