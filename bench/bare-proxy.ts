// The floor for bench/proxy.ts: what Bun's HTTP server and fetch alone add to a proxied call, with no
// parsing and no recording. `UPSTREAM_URL=http://… PORT=0 bun bench/bare-proxy.ts`.
const upstreamUrl = process.env.UPSTREAM_URL!;
// Length and framing follow the new connection and body; Bun's fetch has already decompressed.
const hopHeaders = ["host", "content-length", "connection", "transfer-encoding", "content-encoding"];
const without = (headers: Headers) => (hopHeaders.forEach((name) => headers.delete(name)), headers);

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT ?? 0),
  idleTimeout: 0,
  async fetch(request) {
    const url = new URL(request.url);
    const body = await request.arrayBuffer();
    const upstream = await fetch(upstreamUrl + url.pathname + url.search, { method: request.method, headers: without(new Headers(request.headers)), body });
    const init = { status: upstream.status, headers: without(new Headers(upstream.headers)) };
    if (upstream.headers.get("content-type")?.includes("text/event-stream")) return new Response(upstream.body, init);
    return new Response(await upstream.arrayBuffer(), init);
  },
});
console.log(`bare proxy listening on http://127.0.0.1:${server.port}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void server.stop(true).then(() => process.exit(0)));
