import { sql } from "drizzle-orm";
import type { Database } from "./open.ts";

const DAY_MS = 86_400_000;
// span_search (db/write/search-indexer.ts) and trace_rollups (db/write/rollups.ts) are cut by the same
// days as spans, so retention drops them together.
const PARTITIONED = ["traces", "spans", "span_search", "trace_rollups"] as const;
type Partitioned = (typeof PARTITIONED)[number];
// Days made ahead of time, so a write never waits on DDL at midnight.
const DAYS_AHEAD = 3;
const MAINTAIN_EVERY_MS = 3_600_000;

export const dayOf = (date: Date) => Math.floor(date.getTime() / DAY_MS) * DAY_MS;
const stamp = (day: number) => new Date(day).toISOString().slice(0, 10).replaceAll("-", "");
/** The day partition of `table` holding the instant `ms` (UTC days, as made here). */
export const partitionOf = (table: Partitioned, ms: number) => `${table}_p${stamp(dayOf(new Date(ms)))}`;
const isoDay = (day: number) => new Date(day).toISOString().slice(0, 10);

// Replicas starting together would race on the same CREATE TABLE (IF NOT
// EXISTS does not make concurrent creation safe); they take turns instead.
const UPKEEP_LOCK = 727_274_002;

async function createDay(database: Database, day: number, tables: readonly Partitioned[]): Promise<void> {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${UPKEEP_LOCK})`);
    for (const table of tables) {
      await tx.execute(
        sql.raw(`create table if not exists ${partitionOf(table, day)} partition of ${table}
          for values from ('${isoDay(day)} 00:00:00+00') to ('${isoDay(day + DAY_MS)} 00:00:00+00')`),
      );
    }
  });
}

/** The day partitions that exist, per table, oldest first. */
export async function listPartitions(database: Database): Promise<{ table: string; name: string; day: number }[]> {
  const rows = await database.rows<{ parent: string; name: string }>(sql`
    select p.relname as parent, c.relname as name
    from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
    where p.relname in ('traces', 'spans', 'span_search', 'trace_rollups') order by c.relname`);
  return rows.flatMap((r) => {
    const match = /_p(\d{4})(\d{2})(\d{2})$/.exec(r.name);
    return match ? [{ table: r.parent, name: r.name, day: Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!) }] : [];
  });
}

/**
 * Keeps a day partition of traces and spans for today and the next days,
 * and — with a retention — drops whole days past it: a DROP TABLE, not a
 * DELETE of millions of rows.
 */
export function createPartitionKeeper(options: {
  database: Database;
  retentionDays?: number;
  now?: () => Date;
  log?: (message: string) => void;
  /** The tables to keep days of: all, but for a test that builds a database of an older schema. */
  tables?: readonly Partitioned[];
}) {
  const { database } = options;
  const tables = options.tables ?? PARTITIONED;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((m: string) => console.error(m));
  const made = new Set<number>();
  let timer: ReturnType<typeof setInterval> | null = null;

  async function ensureDay(date: Date): Promise<void> {
    const day = dayOf(date);
    if (made.has(day)) return;
    await createDay(database, day, tables);
    made.add(day);
  }

  async function maintain(): Promise<{ dropped: string[] }> {
    const today = dayOf(now());
    for (let d = -1; d <= DAYS_AHEAD; d++) await ensureDay(new Date(today + d * DAY_MS));
    const dropped: string[] = [];
    if (options.retentionDays) {
      const cutoff = today - options.retentionDays * DAY_MS;
      const past = (await listPartitions(database)).filter((p) => p.day < cutoff);
      // A day's traces and spans go together: between two drops a writer could find a trace whose
      // spans' partition was already gone.
      for (const day of new Set(past.map((p) => p.day))) {
        const names = past.filter((p) => p.day === day).map((p) => p.name);
        await database.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_advisory_xact_lock(${UPKEEP_LOCK})`);
          // Scores are not partitioned (one may come before its trace): the day's go with its traces.
          const traceDay = names.find((name) => name.startsWith("traces_"));
          if (traceDay) {
            await tx.execute(sql.raw(`delete from scores where trace_id in (select id from ${traceDay})`));
          }
          for (const name of names) await tx.execute(sql.raw(`drop table if exists ${name}`));
        });
        dropped.push(...names);
        made.delete(day);
      }
      // Scores whose trace never came, as old as the days dropped.
      await database.db.execute(sql`delete from scores s where s.created_at < ${new Date(cutoff).toISOString()}::timestamptz
        and not exists (select 1 from traces t where t.id = s.trace_id)`);
      if (dropped.length) log(`kalmia: retention of ${options.retentionDays} days dropped ${dropped.join(", ")}`);
    }
    return { dropped };
  }

  return {
    ensureDay,
    maintain,
    start() {
      timer = setInterval(() => void maintain().catch((e) => log(`kalmia: partition upkeep failed (${e})`)), MAINTAIN_EVERY_MS);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}

export type PartitionKeeper = ReturnType<typeof createPartitionKeeper>;
