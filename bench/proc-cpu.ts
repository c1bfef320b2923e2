/** CPU time (user + system) spent by processes during a run, read from Linux /proc. */
import { readdirSync, readFileSync } from "node:fs";

const CLOCK_TICKS_PER_S = Number(Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim()) || 100;

type Stat = { ppid: number; ticks: number };

/** One process's parent, and its CPU time in clock ticks: all its threads, plus children it has reaped. */
function statOf(pid: number): Stat | null {
  try {
    // The command name in parentheses may hold spaces: count fields from the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // proc(5) fields 4 (ppid) and 14–17 (utime, stime, cutime, cstime), counted from the pid as 1.
    return { ppid: Number(fields[1]), ticks: fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0) };
  } catch {
    return null;
  }
}

const allPids = () => readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map(Number);

/** `root` and its live descendants, so a database worker process would count as Kalmia's. */
function treeOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const ppid = statOf(pid)?.ppid;
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/**
 * The cluster's processes that work for this run: the background ones (writer, checkpointer, WAL) and
 * the backends of `database`. Backends of other databases are left out, since other runs share the cluster.
 */
function postgresPids(database: string): number[] {
  const postmaster = postmasterOf(process.env.BENCH_DATABASE_URL);
  return allPids().filter((pid) => {
    // Another cluster's processes (someone else's tests, a second cluster of this machine) are not this run's.
    if (postmaster !== null && statOf(pid)?.ppid !== postmaster) return false;
    let title: string;
    try {
      title = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
    } catch {
      return false;
    }
    if (!title.startsWith("postgres:")) return false;
    // A backend's title is "postgres: <user> <database> <host>(<port>) <activity>".
    const words = title.slice("postgres:".length).trim().split(/\s+/);
    const backendOf = /\(\d+\)$|^\[local\]$/.test(words[2] ?? "") ? words[1] : null;
    return backendOf === null || backendOf === database;
  });
}

/**
 * The postmaster of the local cluster that `url` names, by the port on its command line (as
 * scripts/postgres.sh starts it, `-p PORT`); null when there is none here (a remote database).
 */
function postmasterOf(url: string | undefined): number | null {
  if (!url) return null;
  const port = new URL(url).port || "5432";
  for (const pid of allPids()) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    } catch {
      continue;
    }
    if (!argv[0]?.endsWith("/postgres")) continue;
    const at = argv.indexOf("-p");
    if (at >= 0 && argv[at + 1] === port) return pid;
  }
  return null;
}

function ticksOf(pids: number[]): Map<number, number> {
  return new Map(pids.flatMap((pid) => {
    const stat = statOf(pid);
    return stat === null ? [] : [[pid, stat.ticks] as const];
  }));
}

/** Ticks spent between two snapshots; a process that started in between counts from zero. */
function spent(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return ticks;
}

export type CpuUse = { kalmiaMs: number; postgresMs: number | null };

/**
 * Starts counting the CPU time of Kalmia's process tree, and of Postgres's when `database` is given;
 * `stop()` returns the ms spent since. A Postgres backend that exits during the run is lost.
 */
export function cpuMeter(kalmiaPid: number, database: string | null): { stop(): CpuUse } {
  const kalmiaBefore = ticksOf(treeOf(kalmiaPid));
  const postgresBefore = database === null ? null : ticksOf(postgresPids(database));
  const toMs = (ticks: number) => (ticks * 1000) / CLOCK_TICKS_PER_S;
  return {
    stop() {
      const kalmiaMs = toMs(spent(kalmiaBefore, ticksOf(treeOf(kalmiaPid))));
      if (database === null || postgresBefore === null) return { kalmiaMs, postgresMs: null };
      return { kalmiaMs, postgresMs: toMs(spent(postgresBefore, ticksOf(postgresPids(database)))) };
    },
  };
}
