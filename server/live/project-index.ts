/**
 * Which project a live row belongs to. Trace summaries carry `project`; spans
 * (DESIGN.md's Span shape) do not, so the project is looked up from the trace
 * summaries recently seen, which the writer publishes in the same change.
 */
export function createProjectIndex(capacity = 50_000) {
  const byTrace = new Map<string, string>();

  return {
    rememberTrace(trace: object): string | null {
      const row = trace as { id?: unknown; project?: unknown; project_id?: unknown };
      const project = asName(row.project) ?? asName(row.project_id);
      if (project && typeof row.id === "string") {
        byTrace.delete(row.id);
        byTrace.set(row.id, project);
        if (byTrace.size > capacity) byTrace.delete(byTrace.keys().next().value!);
      }
      return project;
    },

    ofSpan(span: object): string | null {
      const row = span as { project?: unknown; project_id?: unknown; trace_id?: unknown; root_span_id?: unknown };
      const own = asName(row.project) ?? asName(row.project_id);
      if (own) return own;
      const traceId = typeof row.trace_id === "string" ? row.trace_id : row.root_span_id;
      return typeof traceId === "string" ? (byTrace.get(traceId) ?? null) : null;
    },
  };
}

function asName(value: unknown): string | null {
  return typeof value === "string" && value ? value : null;
}
