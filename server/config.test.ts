import { describe, expect, test } from "bun:test";
import { ConfigError, isLoopbackHost, loadConfig } from "./config.ts";

const fails = (env: Record<string, string>, variable: string) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(new RegExp(variable));
};

describe("configuration is read once and checked", () => {
  test("defaults: port 3000 on loopback, embedded storage in ./.kalmia, the public providers", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe("127.0.0.1");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir.endsWith(".kalmia")).toBe(true);
    expect(config.openaiBaseUrl).toBe("https://api.openai.com/v1");
    expect(config.anthropicBaseUrl).toBe("https://api.anthropic.com");
    expect(Object.isFrozen(config)).toBe(true);
  });

  test("a bad value stops the start with a message naming the variable", () => {
    fails({ PORT: "eighty" }, "PORT");
    fails({ PORT: "70000" }, "PORT");
    fails({ DATABASE_URL: "mysql://x" }, "DATABASE_URL");
    fails({ OPENAI_BASE_URL: "not a url" }, "OPENAI_BASE_URL");
    fails({ ANTHROPIC_BASE_URL: "ftp://x" }, "ANTHROPIC_BASE_URL");
    fails({ KALMIA_ALLOW_OPEN: "maybe" }, "KALMIA_ALLOW_OPEN");
  });

  test("listening beyond loopback needs API keys or an explicit opt-in", () => {
    fails({ HOST: "0.0.0.0" }, "KALMIA_API_KEYS");
    expect(loadConfig({ HOST: "0.0.0.0", KALMIA_API_KEYS: "k1, k2" }).apiKeys).toEqual(["k1", "k2"]);
    expect(loadConfig({ HOST: "0.0.0.0", KALMIA_ALLOW_OPEN: "1" }).allowOpen).toBe(true);
  });

  test("a HOST that only starts with 127. is a DNS name anyone can point anywhere: it needs keys", () => {
    fails({ HOST: "127.example.com" }, "KALMIA_API_KEYS");
    fails({ HOST: "127.0.0.1.nip.io" }, "KALMIA_API_KEYS");
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1"]) expect(loadConfig({ HOST: host }).host).toBe(host);
  });

  test("loopback means localhost, ::1 and literal IPv4 addresses in 127.0.0.0/8, nothing else", () => {
    for (const host of ["localhost", "LOCALHOST", "::1", "[::1]", "127.0.0.1", "127.255.255.254"]) {
      expect({ host, local: isLoopbackHost(host) }).toEqual({ host, local: true });
    }
    for (const host of ["127.evil.com", "127.attacker.example", "127.0.0.1.nip.io", "127.0.0.256", "127.1", "localhost.evil.com", "0.0.0.0", "::ffff:8.8.8.8", ""]) {
      expect({ host, local: isLoopbackHost(host) }).toEqual({ host, local: false });
    }
  });

  test("the journal of queued writes lives in the data directory's spool/, on either backend, unless KALMIA_SPOOL_DIR says otherwise", () => {
    expect(loadConfig({ KALMIA_DATA_DIR: "/var/kalmia" }).spoolDir).toBe("/var/kalmia/spool");
    expect(loadConfig({ KALMIA_DATA_DIR: "/var/kalmia", DATABASE_URL: "postgres://u@h/db" }).spoolDir).toBe("/var/kalmia/spool");
    expect(loadConfig({ KALMIA_SPOOL_DIR: "/fast-disk/spool" }).spoolDir).toBe("/fast-disk/spool");
  });

  test("trailing slashes on upstream URLs are dropped", () => {
    expect(loadConfig({ OPENAI_BASE_URL: "http://127.0.0.1:9/v1/" }).openaiBaseUrl).toBe("http://127.0.0.1:9/v1");
  });
});
