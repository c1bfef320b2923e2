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
]);

const PUBLIC_API = new Set(["/api/health", "/api/session"]);

export function accessFor(path: string): Access {
  if (PROXY_PATHS.has(path)) return "proxy";
  if (PUBLIC_API.has(path)) return "public";
  // Everything else under /api holds or takes traces; the dashboard's shell
  // and assets hold none and ask for a key themselves.
  return path.startsWith("/api/") || path === "/api" ? "api" : "public";
}
