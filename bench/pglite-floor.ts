/**
 * The floor under the embedded server's footprint (issue 26, Build 6): what Bun alone and Bun with
 * nothing but an open PGlite hold resident when idle, before any of Kalmia's code is loaded. Each
 * case runs in a fresh process; RSS is read from /proc/PID/smaps after a full GC and split into the
 * Bun executable's own pages (its machine code, file-backed), the largest anonymous mapping (PGlite's
 * WASM linear memory, reserved at ~1 GB and touched as Postgres uses it) and the rest (JS heap,
 * malloc, JIT code).
 *
 *   bun bench/pglite-floor.ts
 */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type Mapping = { path: string; sizeMb: number; rssMb: number };

function mappings(): Mapping[] {
  const out: Mapping[] = [];
  for (const line of readFileSync("/proc/self/smaps", "utf8").split("\n")) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      out.push({ path: head[3]!, sizeMb: (parseInt(head[2]!, 16) - parseInt(head[1]!, 16)) / 1048576, rssMb: 0 });
    } else if (line.startsWith("Rss:")) {
      out[out.length - 1]!.rssMb = Number(line.split(/\s+/)[1]) / 1024;
    }
  }
  return out;
}

/** In the child: set up the case, settle, and print its resident memory as JSON. */
async function measure(mode: string, dir: string) {
  if (mode === "init") {
    // As Kalmia does (db/connect/pglite-init.ts), the data directory is made in a process of its
    // own: initdb's peak would otherwise stay in the measured process's WASM memory.
    const db = await PGlite.create(join(dir, "pgdata"), { extensions: { pg_trgm } });
    await db.exec("create extension if not exists pg_trgm; create table t (id text primary key, v jsonb)");
    await db.close();
    process.exit(0);
  }
  if (mode !== "bun") {
    const buffers = mode === "pglite-1mb" ? "1MB" : "8MB";
    // Kalmia's own settings (db/connect/open-pglite.ts, pglite-thread.ts): 8MB shared buffers, pg_trgm.
    const db = await PGlite.create(join(dir, "pgdata"), {
      startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${buffers}`],
      extensions: { pg_trgm },
    });
    await db.query("insert into t values ($1, '{}') on conflict do nothing", [mode]);
    await db.query("select * from t where v->>'x' is null");
  }
  await Bun.sleep(5_000);
  Bun.gc(true);
  await Bun.sleep(2_000);
  const all = mappings();
  const total = all.reduce((sum, m) => sum + m.rssMb, 0);
  const executable = all.filter((m) => m.path.endsWith("/bun") || m.path.endsWith("bun.exe")).reduce((sum, m) => sum + m.rssMb, 0);
  const largestAnon = all.filter((m) => m.path === "" && m.sizeMb >= 512).sort((a, b) => b.rssMb - a.rssMb)[0];
  console.log(JSON.stringify({ mode, rss_mb: total, bun_executable_mb: executable, wasm_memory_mb: mode === "bun" ? 0 : largestAnon?.rssMb ?? 0 }));
  process.exit(0);
}

if (process.argv[2] === "--child") {
  await measure(process.argv[3]!, process.argv[4]!);
} else {
  const cases = ["bun", "pglite-8mb", "pglite-1mb"];
  const label: Record<string, string> = {
    bun: "Bun alone (an idle script)",
    "pglite-8mb": "Bun + PGlite, Kalmia's settings (8MB shared buffers, pg_trgm)",
    "pglite-1mb": "Bun + PGlite, 1MB shared buffers",
  };
  console.log(`${new Date().toISOString()}, Bun ${Bun.version}, load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
  console.log("| process | RSS MB | of it: Bun's executable | PGlite's WASM memory | the rest |");
  console.log("|---|---|---|---|---|");
  const dir = mkdtempSync(join(tmpdir(), "pglite-floor-"));
  const child = (mode: string) => {
    const run = spawnSync(process.execPath, [import.meta.path, "--child", mode, dir], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`${mode} failed: ${run.stderr}`);
    return run;
  };
  child("init");
  for (const mode of cases) {
    const run = child(mode);
    const r = JSON.parse(run.stdout.trim().split("\n").pop()!) as { rss_mb: number; bun_executable_mb: number; wasm_memory_mb: number };
    const rest = r.rss_mb - r.bun_executable_mb - r.wasm_memory_mb;
    console.log(`| ${label[mode]} | ${r.rss_mb.toFixed(1)} | ${r.bun_executable_mb.toFixed(1)} | ${r.wasm_memory_mb.toFixed(1)} | ${rest.toFixed(1)} |`);
  }
  rmSync(dir, { recursive: true, force: true });
}
