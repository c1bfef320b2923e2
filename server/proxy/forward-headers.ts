// RFC 9110 §7.6.1 hop-by-hop headers, plus what fetch sets itself: host and length follow the
// new connection and body, and encoding is negotiated by Bun's fetch (which decompresses).
const HOP_BY_HOP = [
  "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
  "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "accept-encoding",
];
// A caller's cookies are for Kalmia's own origin (the dashboard's session among them), never the provider's.
const NOT_FORWARDED = new Set([...HOP_BY_HOP, "cookie"]);
const NOT_RETURNED = new Set([...HOP_BY_HOP, "content-encoding"]);

function copyExcept(source: Headers, dropped: Set<string>, dropKalmia: boolean): Headers {
  const named = (source.get("connection") ?? "").split(",").map((name) => name.trim().toLowerCase());
  const copy = new Headers();
  source.forEach((value, name) => {
    if (dropped.has(name) || named.includes(name) || (dropKalmia && name.startsWith("x-kalmia-"))) return;
    copy.append(name, value);
  });
  return copy;
}

/** The caller's headers for the upstream: credentials and provider headers as given, no x-kalmia-*, no cookies. */
export const upstreamRequestHeaders = (incoming: Headers) => copyExcept(incoming, NOT_FORWARDED, true);

/** The upstream's headers for the caller; the body is already decompressed by fetch. */
export const callerResponseHeaders = (upstream: Headers) => copyExcept(upstream, NOT_RETURNED, false);
