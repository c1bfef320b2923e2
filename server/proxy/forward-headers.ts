// RFC 9110 §7.6.1 hop-by-hop headers, plus what fetch sets itself: host and length follow the
// new connection and body, and encoding is negotiated by Bun's fetch (which decompresses).
const NOT_FORWARDED = new Set([
  "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
  "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "accept-encoding",
]);
const NOT_RETURNED = new Set([...NOT_FORWARDED, "content-encoding"]);

function copyExcept(source: Headers, dropped: Set<string>, dropKalmia: boolean): Headers {
  const named = (source.get("connection") ?? "").split(",").map((name) => name.trim().toLowerCase());
  const copy = new Headers();
  source.forEach((value, name) => {
    if (dropped.has(name) || named.includes(name) || (dropKalmia && name.startsWith("x-kalmia-"))) return;
    copy.append(name, value);
  });
  return copy;
}

/** The caller's headers for the upstream: credentials and provider headers as given, no x-kalmia-*. */
export const upstreamRequestHeaders = (incoming: Headers) => copyExcept(incoming, NOT_FORWARDED, true);

/** The upstream's headers for the caller; the body is already decompressed by fetch. */
export const callerResponseHeaders = (upstream: Headers) => copyExcept(upstream, NOT_RETURNED, false);

/** Credential values in a request, so anything recorded can be scrubbed of them. */
export function credentialsOf(headers: Headers): string[] {
  return ["authorization", "x-api-key", "api-key", "proxy-authorization"]
    .map((name) => headers.get(name)?.replace(/^(Bearer|Basic)\s+/i, "").trim() ?? "")
    .filter((value) => value.length >= 8);
}
