/**
 * Headers on every dashboard response. The CSP backs up the rule that captured
 * content is only ever rendered as text: even if markup slipped into the DOM,
 * no inline script, no event handler attribute, no foreign image or frame
 * could run or load. Only the dashboard's own files and API are reachable; images may also be
 * inline `data:` URLs (captured base64 images drawn as thumbnails), which load nothing remote.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join("; ");

export const securityHeaders: Record<string, string> = {
  "content-security-policy": contentSecurityPolicy,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};
