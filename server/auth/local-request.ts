import { isLoopbackHost } from "../config.ts";

function hostnameOf(hostHeader: string): string {
  // "[::1]:3000" → "::1"; "localhost:3000" → "localhost"
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader);
  if (bracketed) return bracketed[1]!;
  return hostHeader.replace(/:\d+$/, "").toLowerCase();
}

/**
 * In keyless local mode a page on another site may still reach 127.0.0.1
 * through a DNS name it controls (DNS rebinding) or by posting from the
 * browser: such requests carry a foreign Host or Origin, and are refused.
 */
export function foreignOrigin(request: Request): string | null {
  const host = request.headers.get("host");
  if (host && !isLoopbackHost(hostnameOf(host))) return `Host ${JSON.stringify(host)}`;
  const origin = request.headers.get("origin");
  if (origin === "null") return "Origin null (a sandboxed or file:// page)";
  if (origin) {
    let hostname: string;
    try {
      hostname = new URL(origin).hostname.replace(/^\[|\]$/g, "");
    } catch {
      return "Origin (unreadable)";
    }
    if (!isLoopbackHost(hostname)) return `Origin ${JSON.stringify(origin)}`;
  }
  return null;
}
