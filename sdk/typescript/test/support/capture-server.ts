import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the capture server does with the next request. */
export type Behaviour = { status: number; headers?: Record<string, string> } | "hang";

export interface CapturedRequest {
  at: number;
  headers: IncomingMessage["headers"];
  body: { project: string; rows: Record<string, any>[] };
}

/**
 * A stand-in span endpoint for the sender's wire behaviour (retries, Retry-After, 4xx, hangs), which a
 * real server cannot be asked to misbehave for. It records every POST and answers per `behaviours`,
 * one per request, the last repeating.
 */
export async function startCaptureServer(behaviours: Behaviour[] = [{ status: 200 }]) {
  const requests: CapturedRequest[] = [];
  const hung: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      requests.push({ at: Date.now(), headers: req.headers, body: JSON.parse(text) });
      const behaviour = behaviours[Math.min(requests.length - 1, behaviours.length - 1)]!;
      if (behaviour === "hang") return void hung.push(res);
      res.writeHead(behaviour.status, { "content-type": "application/json", ...behaviour.headers });
      res.end(behaviour.status < 300 ? '{"accepted":1}' : '{"error":{"message":"no","type":"test"}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    rows: () => requests.flatMap((r) => r.body.rows),
    /** Rows merged by id as the server would: later non-null fields win, metadata and metrics key by key. */
    spans: () => mergeRows(requests.flatMap((r) => r.body.rows)),
    async stop() {
      for (const res of hung) res.destroy();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export function mergeRows(rows: Record<string, any>[]): Map<string, Record<string, any>> {
  const spans = new Map<string, Record<string, any>>();
  for (const row of rows) {
    const span = spans.get(row.id) ?? {};
    for (const [key, value] of Object.entries(row)) {
      if (value === null || value === undefined) continue;
      span[key] = key === "metadata" || key === "metrics" ? { ...span[key], ...value } : value;
    }
    spans.set(row.id, span);
  }
  return spans;
}

/** A URL nothing listens on: a port that was just free. */
export async function deadUrl(): Promise<string> {
  const capture = await startCaptureServer();
  await capture.stop();
  return capture.url;
}
