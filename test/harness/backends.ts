import { freshPostgresDatabase, testPostgresUrl } from "./postgres.ts";
import { tempDir } from "./temp-dir.ts";

export type Backend = {
  name: "pglite" | "postgres";
  /** Environment for a server on a fresh, empty database of this backend. */
  prepare(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>;
};

const pglite: Backend = {
  name: "pglite",
  prepare: async () => ({ env: { KALMIA_DATA_DIR: tempDir() }, cleanup: async () => {} }),
};

function postgresBackend(baseUrl: string): Backend {
  return {
    name: "postgres",
    async prepare() {
      const db = await freshPostgresDatabase(baseUrl);
      return { env: { DATABASE_URL: db.url }, cleanup: db.drop };
    },
  };
}

/** Both backends where Postgres is available (always in CI), else PGlite alone. */
export function storageBackends(): Backend[] {
  const url = testPostgresUrl();
  return url ? [pglite, postgresBackend(url)] : [pglite];
}
