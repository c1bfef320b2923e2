/** Writes to a running Kalmia the way SDKs and ingestion clients do. */
export async function postSpans(baseUrl: string, project: string, rows: object[]): Promise<void> {
  const response = await fetch(`${baseUrl}/api/v1/spans`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ project, rows }),
  });
  if (response.status !== 200) throw new Error(`POST /api/v1/spans answered ${response.status}: ${await response.text()}`);
}

export async function ingestTraces(baseUrl: string, traces: object[]): Promise<void> {
  const response = await fetch(`${baseUrl}/api/v1/traces/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(traces),
  });
  if (!response.ok) throw new Error(`POST /api/v1/traces/ingest answered ${response.status}: ${await response.text()}`);
}
