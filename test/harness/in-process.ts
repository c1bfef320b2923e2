import { loadConfig } from "../../server/config.ts";
import { startServer } from "../../server/start.ts";
import { tempDir } from "./temp-dir.ts";

/** A real server in this process on a free port (PGlite in a temp dir by default). */
export async function startInProcess(env: Record<string, string> = {}) {
  const config = loadConfig({ PORT: "0", KALMIA_DATA_DIR: tempDir(), ...env });
  const kalmia = await startServer(config);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${kalmia.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const getJson = async <T = any>(path: string): Promise<T> => {
    const response = await fetch(`${kalmia.url}${path}`);
    return (await response.json()) as T;
  };
  return { ...kalmia, post, getJson };
}

export type InProcessKalmia = Awaited<ReturnType<typeof startInProcess>>;
