// The real pieces a test talks to: the shared fake LLM upstream and a real Kalmia server. Under Node the
// harnesses (which use Bun.serve, or resolve paths from their own location) cannot run in-process, so
// run-tests.sh starts one of each with Bun and passes their URLs in the environment.
export interface Running {
  url: string;
  stop(): Promise<unknown>;
}

const env = process.env;

export async function startUpstream(): Promise<Running> {
  if (env.KALMIA_SDK_TEST_UPSTREAM) return { url: env.KALMIA_SDK_TEST_UPSTREAM, stop: async () => {} };
  const { startFakeUpstream } = await import("../../../../test/fake-upstream/start-fake-upstream.ts");
  return startFakeUpstream();
}

export async function startServer(): Promise<Running> {
  if (env.KALMIA_SDK_TEST_SERVER) return { url: env.KALMIA_SDK_TEST_SERVER, stop: async () => {} };
  const { startKalmia } = await import("../../../../test/harness/start-kalmia.ts");
  return startKalmia();
}

export const uniqueProject = (name: string) => `sdk-ts-${name}-${Math.random().toString(36).slice(2, 8)}`;
