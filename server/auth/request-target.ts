import { errorBody, jsonResponse } from "../errors.ts";

// Elysia finds the path it routes on by searching request.url for the first "/" at or after a
// fixed index: 11 by default (`handler.standardHostname`), which assumes a host of at least four
// characters, so for `Host: a` it read "/xx/api/v1/traces" as "/api/v1/traces" while the key
// guard saw "/xx/...": a public path. server/app.ts sets `standardHostname: false` (index 7, the
// end of "http://"), and this is that same computation, the one every access decision is made on.
const SCHEME = "http://";

/** The path Elysia routes `url` on (createApp's `standardHostname: false`). */
export function routedPath(url: string): string {
  const start = url.indexOf("/", SCHEME.length);
  const query = url.indexOf("?", start + 1);
  return query === -1 ? url.substring(start) : url.substring(start, query);
}

// A DNS name (labels of letters, digits, "-" and, as container names have them, "_"), an IPv4
// address, or a bracketed IPv6 address; then an optional port. One value: a comma means two Host
// headers, which Bun joins and RFC 9112 §3.2 says to refuse.
const AUTHORITY =
  /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i;

export function isPlausibleAuthority(authority: string): boolean {
  const match = AUTHORITY.exec(authority);
  return match !== null && authority.length <= 261 && (match[1] === undefined || Number(match[1]) <= 65535);
}

const badHost = (message: string) => jsonResponse(400, errorBody("invalid_request", message));

/**
 * Refuses, before anything reads the path, a request whose target the router and the guard
 * could read differently: no Host (HTTP/1.0 without one gives a relative request.url), a Host
 * that is no authority (Bun then leaves request.url relative too), or two Hosts.
 */
export function refuseUnroutableTarget(request: Request): Response | undefined {
  const url = request.url;
  if (!url.startsWith(SCHEME)) {
    return badHost("the request needs one Host header naming this server (host or host:port)");
  }
  const authority = url.substring(SCHEME.length, url.indexOf("/", SCHEME.length));
  const host = request.headers.get("host");
  if (!isPlausibleAuthority(authority) || (host !== null && !isPlausibleAuthority(host))) {
    return badHost("the Host header must be one host or host:port");
  }
  return undefined;
}
