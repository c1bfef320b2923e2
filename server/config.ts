import { join, resolve } from "node:path";

export type Config = Readonly<{
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  /** The journal of acknowledged writes not yet in the database (db/write/journal/). */
  spoolDir: string;
  openaiBaseUrl: string;
  anthropicBaseUrl: string;
  apiKeys: readonly string[];
  allowOpen: boolean;
  writeBufferRows: number;
  /** KALMIA_PRICES: a JSON file of prices that add to or override the bundled ones (docs/PRICING.md). */
  pricesFile: string | undefined;
  /** Days of traces kept; older day partitions are dropped. Unset: keep all. */
  retentionDays: number | undefined;
}>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

const LOOPBACK_NAMES = new Set(["localhost", "::1", "[::1]"]);
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * This machine only: `localhost`, `::1` and literal IPv4 addresses in 127.0.0.0/8. A name that
 * merely starts with "127." (127.evil.example) is anyone's DNS name.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  if (LOOPBACK_NAMES.has(name)) return true;
  const octets = IPV4.exec(name);
  return octets !== null && octets[1] === "127" && octets.slice(2).every((octet) => Number(octet) <= 255);
}

function readPort(env: Env): number {
  const raw = env.PORT ?? "3000";
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${raw}"`);
  }
  return port;
}

function readPositiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function readUrl(env: Env, name: string, fallback: string, protocols: string[]): string {
  const raw = env[name] || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL: "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(" or ")}, got "${url.protocol}"`);
  }
  return raw.replace(/\/+$/, "");
}

function readFlag(env: Env, name: string): boolean {
  const raw = (env[name] ?? "").toLowerCase();
  if (["", "0", "false", "no"].includes(raw)) return false;
  if (["1", "true", "yes"].includes(raw)) return true;
  throw new ConfigError(`${name} must be 1 or 0, got "${env[name]}"`);
}

/** Reads the environment once, at start; a bad value names its variable. */
export function loadConfig(env: Env = process.env): Config {
  const apiKeys = (env.KALMIA_API_KEYS ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  const host = env.HOST || "127.0.0.1";
  const allowOpen = readFlag(env, "KALMIA_ALLOW_OPEN");
  if (!isLoopbackHost(host) && apiKeys.length === 0 && !allowOpen) {
    throw new ConfigError(
      `HOST=${host} would expose traces beyond this machine without KALMIA_API_KEYS; ` +
        `set KALMIA_API_KEYS, or KALMIA_ALLOW_OPEN=1 to accept that`,
    );
  }
  if (env.DATABASE_URL) readUrl(env, "DATABASE_URL", "", ["postgres:", "postgresql:"]);
  const dataDir = resolve(env.KALMIA_DATA_DIR || "./.kalmia");
  return Object.freeze({
    port: readPort(env),
    host,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    // On Postgres too: the data directory holds nothing else there, and each replica needs its own.
    spoolDir: env.KALMIA_SPOOL_DIR ? resolve(env.KALMIA_SPOOL_DIR) : join(dataDir, "spool"),
    openaiBaseUrl: readUrl(env, "OPENAI_BASE_URL", "https://api.openai.com/v1", ["http:", "https:"]),
    anthropicBaseUrl: readUrl(env, "ANTHROPIC_BASE_URL", "https://api.anthropic.com", ["http:", "https:"]),
    apiKeys: Object.freeze(apiKeys),
    allowOpen,
    writeBufferRows: readPositiveInt(env, "KALMIA_WRITE_BUFFER_ROWS", 200_000),
    pricesFile: env.KALMIA_PRICES ? resolve(env.KALMIA_PRICES) : undefined,
    retentionDays: env.KALMIA_RETENTION_DAYS ? readPositiveInt(env, "KALMIA_RETENTION_DAYS", 0) : undefined,
  });
}
