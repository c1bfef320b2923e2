import { sql, type SQL } from "drizzle-orm";
import { traces } from "./schema.ts";

/** Escapes LIKE wildcards so a search for "50%" means those three characters. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * `q`: the traces with a span whose name, input, output, error or metadata holds the text (each
 * field by its first 4,096 characters), or whose id starts with it. The spans are found through
 * the trigram index of migration 0003 (the expression here is the one indexed, word for word), the
 * id prefix through traces_id_prefix; the union of both is a short list of ids the caller's
 * filters and order then apply to, so no trace's spans are scanned.
 */
export function searchCondition(q: string, projectId?: string): SQL {
  const spanProject = projectId ? sql`and s.project_id = ${projectId}` : sql``;
  return sql`${traces.id} in (
    select s.trace_id from spans s
    where span_search_text(s.name, s.input, s.output, s.error, s.metadata) ilike ${`%${escapeLike(q)}%`} ${spanProject}
    union all
    select p.id from traces p where p.id like ${`${escapeLike(q)}%`})`;
}
