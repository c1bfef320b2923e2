import { sql, type SQL } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/pg-core";
import type { Db } from "../connect/open.ts";
import { spanSearch, traces } from "../schema.ts";

/** Escapes LIKE wildcards so a search for "50%" means those three characters. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The keys (id, created_at) of `q`'s traces: those with a span whose name, input, output, error or
 * metadata values hold the text (each field by its first 4,096 characters), or whose id starts with
 * it. The spans are found in span_search through its trigram index (migration 0005), which the search
 * indexer (db/write/search-indexer.ts) keeps about a fifth of a second behind the writes; the id prefix
 * through traces_id_prefix.
 */
function matches(q: string, projectId?: string): SQL {
  const spanProject = projectId ? sql`and s.project_id = ${projectId}` : sql``;
  return sql`(
    select s.trace_id, s.trace_created_at from span_search s
    where s.text ilike ${`%${escapeLike(q)}%`} ${spanProject}
    union
    select p.id, p.created_at from traces p where p.id like ${`${escapeLike(q)}%`}
  ) m`;
}

/**
 * `select fields from traces`, narrowed to `q`'s traces: each match is read by its key from its own
 * day partition. The lateral subquery (kept apart by `offset 0`) makes that a lookup per match;
 * joined plainly, the planner costs each lookup as one in every day partition and scans all the
 * traces instead (~10× slower at 1M traces). It is named `traces`, so conditions on the table's
 * columns apply to it unchanged.
 */
export function selectTracesMatching<F extends SelectedFields>(db: Db, fields: F, q: string, projectId?: string) {
  const byKey = db
    .select()
    .from(traces)
    .where(sql`${traces.id} = m.trace_id and ${traces.createdAt} = m.trace_created_at`)
    .offset(0)
    .as("traces");
  return db.select(fields).from(matches(q, projectId)).crossJoinLateral(byKey);
}

/**
 * Up to this many matching traces, a search walks the list in its own order and checks each trace
 * against a hash of the matches (`searchedHashed`), where the lateral form above looks up every
 * match: at 10M spans, 10,000 matches spread over 30 days took ~425 ms of lookups alone. The bound
 * keeps the hash within Postgres' memory for one (a hashed subplan past it would be rescanned per row).
 */
export const SEARCH_HASHED_UP_TO = 20_000;

/**
 * The keys of `q`'s traces (as `matches`, project-scoped on both sides so that they can be counted
 * alone), at most `upTo` + 1 of them, as CTEs for `searchedHashed`: `hits`, the matching spans'
 * traces, stops after 2 × `upTo` spans, so that a common word (every span matching) costs a bounded
 * scan before the caller takes the other way, where taking distinct keys first read every match.
 */
export function searchKeys(db: Db, q: string, projectId: string | undefined, upTo: number) {
  const pattern = `%${escapeLike(q)}%`;
  const hits = db.$with("search_hits").as(
    db
      .select({ traceId: spanSearch.traceId, createdAt: spanSearch.traceCreatedAt })
      .from(spanSearch)
      .where(projectId ? sql`${spanSearch.text} ilike ${pattern} and ${spanSearch.projectId} = ${projectId}` : sql`${spanSearch.text} ilike ${pattern}`)
      .limit(2 * upTo + 1),
  );
  const idPrefix = sql`${traces.id} like ${`${escapeLike(q)}%`}`;
  const tracesMatching = db
    .select({ traceId: traces.id, createdAt: traces.createdAt })
    .from(traces)
    .where(projectId ? sql`${idPrefix} and ${traces.projectId} = ${projectId}` : idPrefix);
  const keys = db.$with("search_keys").as(
    db.select({ traceId: hits.traceId, createdAt: hits.createdAt }).from(hits).union(tracesMatching).limit(upTo + 1),
  );
  return { hits, keys, overflowed: (found: { keys: number; hits: number }) => found.keys > upTo || found.hits > 2 * upTo };
}

/**
 * Conditions for a search over `keys`: the trace is one of them, checked against their hash. Written
 * inside `coalesce` so that the planner keeps it a hashed subplan of the list's own walk (newest first
 * by its index, stopping at the page) instead of joining every match to its trace first.
 */
export function searchedHashed({ keys }: ReturnType<typeof searchKeys>): SQL {
  return sql`coalesce((${traces.id}, ${traces.createdAt}) in (select ${keys.traceId}, ${keys.createdAt} from ${keys}), false)`;
}
