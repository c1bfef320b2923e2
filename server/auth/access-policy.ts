/** Which credential a request needs, by route. */
export type Access = "public" | "api" | "proxy";

// Proxied provider calls carry the provider's credentials in Authorization,
// so Kalmia's own key travels in x-kalmia-api-key there.
const PROXY_PATHS = new Set([
  "/api/v1/chat/completions",
  "/api/v1/responses",
  "/api/v1/embeddings",
  "/api/v1/models",
  "/api/v1/messages",
  "/api/v1/v1/messages",
  "/api/v1/messages/count_tokens",
  "/api/v1/v1/messages/count_tokens",
  "/api/v1/v1/models",
]);

// Model retrieval: one more path segment, the model's id (`models.retrieve("gpt-4o")`).
const PROXY_PREFIXES = ["/api/v1/models/", "/api/v1/v1/models/"];

const isProxyPath = (route: string) =>
  PROXY_PATHS.has(route) || PROXY_PREFIXES.some((prefix) => route.startsWith(prefix) && route.length > prefix.length && !route.slice(prefix.length).includes("/"));

// The OpenAPI document and its reference page describe the API and hold no data.
const PUBLIC_API = new Set(["/api/health", "/api/session", "/api/openapi.json", "/api/reference"]);

// Outside /api but keyed like it: the metrics name projects' models and the server's load.
const KEYED_OUTSIDE_API = new Set(["/metrics"]);

/** `path` is the routed path (request-target.ts routedPath), the query left off. */
export function accessFor(path: string): Access {
  // The router matches "/x/" as "/x": so does this.
  const route = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  if (isProxyPath(route)) return "proxy";
  if (PUBLIC_API.has(route)) return "public";
  if (KEYED_OUTSIDE_API.has(route)) return "api";
  // Everything else under /api holds or takes traces; the dashboard's shell
  // and assets hold none and ask for a key themselves.
  return route.startsWith("/api/") || route === "/api" ? "api" : "public";
}
