import postgres from "postgres";
import { unixSocketOf } from "../../db/connect/connect-postgres.ts";

/**
 * The Postgres the storage suite runs on: KALMIA_TEST_DATABASE_URL, which the
 * test command sets after starting a throwaway cluster. In CI its absence is
 * a failure, never a silent skip.
 */
export function testPostgresUrl(): string | null {
  const url = process.env.KALMIA_TEST_DATABASE_URL || null;
  if (!url && process.env.CI) {
    throw new Error("KALMIA_TEST_DATABASE_URL is not set: CI must run the storage suite on Postgres");
  }
  return url;
}

/** Creates a fresh database on the test cluster, so suites never share rows. */
export async function freshPostgresDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `kalmia_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  // The cluster's URL may name a Unix socket as libpq spells it, which postgres.js reads only through Kalmia's helper.
  const { url: adminUrl, socketPath } = unixSocketOf(baseUrl);
  const connect = () => postgres(adminUrl, { max: 1, onnotice: () => {}, ...(socketPath && { path: socketPath }) });
  const admin = connect();
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = connect();
      await again.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await again.end();
    },
  };
}
