/** What a credential is replaced with wherever it would have been recorded. */
export const REDACTED = "[redacted]";

// Shorter values are too likely to be ordinary words ("user", "default") to replace everywhere.
const MIN_SECRET_LENGTH = 8;
// Far deeper than anything recorded keeps (ingest refuses past 64 levels); a bound on the walk's stack.
const MAX_DEPTH = 512;
const TOO_DEEP = `${REDACTED}: nested deeper than ${MAX_DEPTH} levels`;

const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "x-api-key", "api-key", "x-goog-api-key", "ocp-apim-subscription-key", "x-kalmia-api-key"];
// Query parameters that carry credentials: Azure's `api-key`, Google's `key`, OAuth's `access_token`, signed URLs' `sig`.
const CREDENTIAL_PARAM = /key|token|secret|passw|credential|auth|^sig$|signature/i;

export type Scrub = <T>(value: T) => T;

/**
 * Every secret a proxied call carries: its credential headers (a Bearer or Basic scheme's value,
 * and a Basic password on its own), its cookie values and its credential-looking query parameters.
 */
export function secretsOfRequest(headers: Headers, url: string): string[] {
  const secrets: string[] = [];
  for (const name of CREDENTIAL_HEADERS) {
    const value = headers.get(name);
    if (value) secrets.push(...credentialValues(value));
  }
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    if (!part.includes("=")) continue;
    const value = part.slice(part.indexOf("=") + 1).trim();
    secrets.push(value);
    try {
      secrets.push(decodeURIComponent(value));
    } catch {}
  }
  if (url.includes("?")) {
    try {
      for (const [name, value] of new URL(url).searchParams) if (CREDENTIAL_PARAM.test(name)) secrets.push(value);
    } catch {}
  }
  return secrets;
}

function credentialValues(header: string): string[] {
  const value = header.trim();
  const scheme = /^(\S+)\s+(.+)$/.exec(value);
  if (!scheme) return [value];
  const values = [value, scheme[2]!.trim()];
  if (scheme[1]!.toLowerCase() === "basic") {
    try {
      const decoded = atob(scheme[2]!.trim());
      values.push(decoded, decoded.slice(decoded.indexOf(":") + 1));
    } catch {}
  }
  return values;
}

/**
 * A function that replaces every occurrence of any of `secrets` in a JSON value (in strings and in
 * object keys, at any depth) with REDACTED. Secrets are also matched URL-encoded, as an echoed URL
 * would carry them. What holds no secret is returned as is, not copied.
 */
export function secretScrubber(candidates: Iterable<string | null | undefined>): Scrub {
  const secrets = new Set<string>();
  for (const candidate of candidates) {
    if (typeof candidate !== "string" || candidate.length < MIN_SECRET_LENGTH) continue;
    secrets.add(candidate);
    const encoded = encodeURIComponent(candidate);
    if (encoded !== candidate) secrets.add(encoded);
  }
  if (secrets.size === 0) return (value) => value;
  // Longest first: a secret that contains another is replaced whole.
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  const scrubText = (text: string): string => {
    if (text.length < MIN_SECRET_LENGTH) return text;
    for (const secret of ordered) if (text.includes(secret)) text = text.replaceAll(secret, REDACTED);
    return text;
  };
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return scrubText(value);
    if (value === null || typeof value !== "object") return value;
    if (depth >= MAX_DEPTH) return TOO_DEEP;
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const scrubbed = walk(value[i], depth + 1);
        if (scrubbed !== value[i]) (copy ??= value.slice())[i] = scrubbed;
      }
      return copy ?? value;
    }
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    // Copied only from the first change on; fromEntries keeps a "__proto__" key an own property.
    let entries: [string, unknown][] | null = null;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const scrubbedKey = scrubText(key);
      const scrubbed = walk(object[key], depth + 1);
      if (entries === null && (scrubbedKey !== key || scrubbed !== object[key])) entries = keys.slice(0, i).map((kept) => [kept, object[kept]]);
      entries?.push([scrubbedKey, scrubbed]);
    }
    return entries ? Object.fromEntries(entries) : value;
  };
  return <T>(value: T) => walk(value, 0) as T;
}
