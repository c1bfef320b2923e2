// A browser lets any page send "simple" requests to any origin: GET, HEAD, and POST with a
// text/plain, form or multipart body (a form, or fetch in no-cors mode), carrying the cookies of
// the target's site. A site is not an origin: a page on another port of the same host is
// same-site, so even a SameSite=Strict cookie goes with it. These rules keep such requests from
// writing, and from using the dashboard's session cookie.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

// A browser can send a cross-origin body only with a CORS-safelisted type (text/plain, forms),
// none of which is here: requiring one of these forces a CORS preflight, which Kalmia never
// grants. JSON for the API, the SDKs and the proxy; protobuf or JSON for OTLP.
const WRITE_TYPES = new Set(["application/json", "application/x-protobuf", "application/protobuf"]);

// OTLP's route refuses every other type itself, in the error encoding the exporter reads.
const CHECKS_ITS_OWN_TYPE = new Set(["/api/v1/otel/v1/traces"]);

export const isWrite = (request: Request) => !SAFE_METHODS.has(request.method);

const hasBody = (request: Request) =>
  request.headers.has("transfer-encoding") || (request.headers.get("content-length") ?? "0") !== "0";

/**
 * Why a write's body type is refused (415), or null. A bodyless write needs no type; a body
 * without one is refused too (a no-cors fetch may send a Blob or bytes untyped).
 */
export function unacceptableBodyType(request: Request, routedPath: string): string | null {
  if (!isWrite(request) || !hasBody(request) || CHECKS_ITS_OWN_TYPE.has(routedPath)) return null;
  const type = request.headers.get("content-type");
  const media = (type ?? "").split(";")[0]!.trim().toLowerCase();
  if (WRITE_TYPES.has(media)) return null;
  return `content-type must be application/json, got ${type ?? "none"}`;
}

/**
 * This server's origin as the browser sees it. Behind a proxy that sets a fixed Host upstream
 * (deploy/nginx.conf), X-Forwarded-Host and -Proto carry the browser's: a page cannot set
 * those on a cross-origin request without a preflight, so they cannot forge a match.
 */
function ownOrigin(request: Request): string {
  const first = (name: string) => request.headers.get(name)?.split(",")[0]!.trim() || null;
  const proto = first("x-forwarded-proto") ?? new URL(request.url).protocol.replace(/:$/, "");
  const host = first("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  return `${proto}://${host}`.toLowerCase();
}

/**
 * Why a request is refused as cross-site (403), or null. Any write a browser marks as coming
 * from another origin (Sec-Fetch-Site, else Origin) is refused, keys or not. A request that
 * signs in with the session cookie must moreover show it comes from this origin, unless it is
 * a read (a typed URL, a download link, or a tool without these headers: a page on another
 * origin cannot read the answer, since no CORS is ever granted).
 */
export function crossSiteRefusal(request: Request, byCookie: boolean): string | null {
  const write = isWrite(request);
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite !== null) {
    if (fetchSite === "same-origin") return null;
    if (fetchSite === "none" && !write) return null;
    return write || byCookie ? `refused a ${fetchSite} request (Sec-Fetch-Site): only this server's own pages may send it` : null;
  }
  const origin = request.headers.get("origin");
  if (origin !== null) {
    if (origin.toLowerCase() === ownOrigin(request)) return null;
    return write || byCookie ? `refused a request from Origin ${JSON.stringify(origin)}: only this server's own pages may send it` : null;
  }
  if (write && byCookie) return "a write signed in by the session cookie must come from this server's own pages (Sec-Fetch-Site or Origin)";
  return null;
}
