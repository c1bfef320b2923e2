import type { SpanRowInput } from "../../db/write/span-row.ts";
import type { ItemError } from "../http/checked.ts";
import { nameProblem, ROW_BOUNDS } from "../../db/write/row-bounds.ts";
import { mapSpan } from "./map-span.ts";
import type { OtlpResourceSpans } from "./otlp-types.ts";

export type MappedRequest = { byProject: Map<string, SpanRowInput[]>; errors: ItemError[]; total: number };

/**
 * The project of a resource: the x-kalmia-project header, else its
 * service.name (the SDKs' "unknown_service:…" placeholder counts as unset).
 */
function projectOf(header: string | null, resource: OtlpResourceSpans["resource"]): string {
  if (header) return header;
  const service = resource["service.name"];
  if (typeof service === "string" && service && !service.startsWith("unknown_service")) {
    // A service's name is never a reason to lose its spans: cut and cleaned to a storable name.
    const name = service.slice(0, ROW_BOUNDS.projectChars).replaceAll("\u0000", "\uFFFD").toWellFormed();
    if (!nameProblem(name, ROW_BOUNDS.projectChars)) return name;
  }
  return "default";
}

/** Maps every span of a request to a span row, grouped by project; bad spans are listed, not fatal. */
export function toSpanRows(request: OtlpResourceSpans[], projectHeader: string | null): MappedRequest {
  const byProject = new Map<string, SpanRowInput[]>();
  const errors: ItemError[] = [];
  let total = 0;
  request.forEach((rs, i) => {
    const project = projectOf(projectHeader, rs.resource);
    const rows = byProject.get(project) ?? [];
    rs.scopeSpans.forEach((ss, j) => {
      ss.spans.forEach((span, k) => {
        const checked = mapSpan(span, ss.scope, `resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`);
        if (checked.ok) rows.push(checked.value);
        else errors.push({ index: total, id: span.spanId || null, path: checked.path, message: checked.message });
        total++;
      });
    });
    if (rows.length) byProject.set(project, rows);
  });
  return { byProject, errors, total };
}
