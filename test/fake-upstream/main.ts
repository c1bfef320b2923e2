// Standalone fake upstream for subprocess tests and benchmarks: `PORT=0 bun test/fake-upstream/main.ts`.
import { startFakeUpstream } from "./start-fake-upstream.ts";

const upstream = await startFakeUpstream({ port: Number(process.env.PORT ?? 0) });
console.log(`fake upstream listening on ${upstream.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void upstream.stop().then(() => process.exit(0)));
