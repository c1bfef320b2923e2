import { ConfigError, isLoopbackHost, loadConfig } from "./config.ts";
import { DataDirLockedError } from "../db/connect/data-dir-lock.ts";
import { installDriverCrashGuard } from "./driver-crash-guard.ts";
import { startServer } from "./start.ts";

async function main() {
  installDriverCrashGuard();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`kalmia: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  let kalmia;
  try {
    kalmia = await startServer(config);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(`kalmia: ${error.message}`);
      process.exit(3);
    }
    throw error;
  }
  if (config.apiKeys.length === 0 && isLoopbackHost(config.host)) {
    console.error("kalmia: no KALMIA_API_KEYS set, so listening on loopback only");
  }
  console.log(`Kalmia listening on ${kalmia.url} (storage: ${kalmia.store.kind})`);
  console.log(`Dashboard: ${kalmia.url}/`);

  const shutdown = async (signal: string) => {
    console.error(`kalmia: ${signal}, draining and closing`);
    // Docker kills at 10 s. The stop is built to end well before; should a part of it hang, what was
    // acknowledged is in the journal already, and exiting beats being killed mid-write.
    setTimeout(() => {
      console.error("kalmia: the stop took over 8 s; exiting (acknowledged writes are in the journal)");
      process.exit(1);
    }, 8_000).unref();
    try {
      await kalmia.stop();
      process.exit(0);
    } catch (error) {
      console.error("kalmia: shutdown failed", error);
      process.exit(1);
    }
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

await main();
