/** Writes to a running Kalmia the way SDKs and ingestion clients do. */
export async function postSpans(baseUrl: string, project: string, rows: object[]): Promise<void> {
  const response = await fetch(`${baseUrl}/api/v1/spans`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ project, rows }),
  });
  await settled(baseUrl, response, "POST /api/v1/spans");
}

export async function ingestTraces(baseUrl: string, traces: object[]): Promise<void> {
  const response = await fetch(`${baseUrl}/api/v1/traces/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(traces),
  });
  await settled(baseUrl, response, "POST /api/v1/traces/ingest");
}

export async function postScores(baseUrl: string, scores: object[]): Promise<void> {
  const response = await fetch(`${baseUrl}/api/v1/scores`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(scores),
  });
  await settled(baseUrl, response, "POST /api/v1/scores");
}

/**
 * 200 means committed. 202 means accepted but still queued (a slow commit on
 * a busy machine): then wait until the writer has nothing buffered, so the
 * test reads what it wrote.
 */
async function settled(baseUrl: string, response: Response, what: string): Promise<void> {
  if (response.status === 200) return;
  if (response.status !== 202) throw new Error(`${what} answered ${response.status}: ${await response.text()}`);
  for (let i = 0; i < 600; i++) {
    const health = (await (await fetch(`${baseUrl}/api/health`)).json()) as { writer?: { buffered_rows?: number } };
    if ((health.writer?.buffered_rows ?? 0) === 0) return;
    await Bun.sleep(100);
  }
  throw new Error(`${what}: rows still queued after 60 s`);
}
