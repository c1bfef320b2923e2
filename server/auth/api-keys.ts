import { createHash, createHmac, timingSafeEqual } from "node:crypto";

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Compares in constant time, on digests so that lengths leak nothing either. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export const SESSION_COOKIE = "kalmia_session";
const SESSION_SECONDS = 7 * 24 * 3600;

/**
 * The configured keys, and dashboard sessions signed with a secret derived
 * from them: every replica with the same keys accepts the same cookie, and
 * changing the keys ends every session.
 */
export function createKeyring(keys: readonly string[]) {
  const secret = digest(`kalmia-session-v1\n${[...keys].sort().join("\n")}`);
  const sign = (expires: number) => createHmac("sha256", secret).update(`session:${expires}`).digest("base64url");

  return {
    required: keys.length > 0,
    isKey(candidate: string | null | undefined): boolean {
      if (!candidate) return false;
      let found = false;
      for (const key of keys) found = sameSecret(candidate, key) || found;
      return found;
    },
    newSession(now = Date.now()): { token: string; maxAge: number } {
      const expires = Math.floor(now / 1000) + SESSION_SECONDS;
      return { token: `${expires}.${sign(expires)}`, maxAge: SESSION_SECONDS };
    },
    isSession(token: string | null | undefined, now = Date.now()): boolean {
      const match = /^(\d{1,12})\.([\w-]{43})$/.exec(token ?? "");
      if (!match) return false;
      const expires = Number(match[1]);
      return expires > now / 1000 && sameSecret(match[2]!, sign(expires));
    },
  };
}

export type Keyring = ReturnType<typeof createKeyring>;

export function bearerToken(header: string | null): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return match ? match[1]!.trim() : null;
}

export function cookieValue(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return null;
}
