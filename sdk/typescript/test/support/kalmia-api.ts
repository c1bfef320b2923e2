// Reads what a real Kalmia server stored, through its public HTTP API.
export interface StoredSpan {
  id: string;
  root_span_id: string;
  span_parents: string[];
  name: string;
  type: string;
  status: string;
  input: any;
  output: any;
  metadata: Record<string, any> | null;
  error: any;
  metrics: Record<string, number | null>;
}

export interface StoredTrace {
  id: string;
  project: string;
  status: string;
  span_count: number;
  spans: StoredSpan[];
  [key: string]: any;
}

export async function listTraces(baseUrl: string, project: string): Promise<{ id: string; status: string }[]> {
  const response = await fetch(`${baseUrl}/api/v1/traces?project=${encodeURIComponent(project)}&limit=500`);
  const body = (await response.json()) as { traces: { id: string; status: string }[] };
  return body.traces;
}

export async function getTrace(baseUrl: string, id: string): Promise<StoredTrace | undefined> {
  const response = await fetch(`${baseUrl}/api/v1/traces/${encodeURIComponent(id)}`);
  if (response.status === 404) return undefined;
  return (await response.json()) as StoredTrace;
}

/** The project's traces once `ready` holds for them (the writer commits in the background); at most ~10 s. */
export async function waitForTraces(
  baseUrl: string,
  project: string,
  ready: (traces: StoredTrace[]) => boolean,
): Promise<StoredTrace[]> {
  let traces: StoredTrace[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    const listed = await listTraces(baseUrl, project);
    traces = (await Promise.all(listed.map((t) => getTrace(baseUrl, t.id)))).filter((t): t is StoredTrace => Boolean(t));
    if (ready(traces)) return traces;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return traces;
}

/** All spans finished (not "running"). */
export const allEnded = (count: number) => (traces: StoredTrace[]) =>
  traces.length === count && traces.every((t) => t.spans.every((s) => s.status !== "running"));
