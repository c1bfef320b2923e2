import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Compares in constant time, on digests so that lengths leak nothing either. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

const SESSION_SECONDS = 7 * 24 * 3600;

/**
 * The session cookie's name. Cookies ignore ports, so Kalmias on two ports of one host would
 * otherwise overwrite (and be sent) each other's session under one name.
 */
export const sessionCookieName = (port: number) => `kalmia_session_${port}`;

/** Where ended sessions are kept, shared by every replica (db/session-revocations.ts). */
export type SessionRevocations = {
  revoke(sessionId: string, expiresAt: Date): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
};

type KeyringOptions = { cookieName: () => string; revocations: SessionRevocations };

const SESSION_TOKEN = /^(\d{1,12})\.([\w-]{22})\.([\w-]{43})$/;

/**
 * The configured keys, and dashboard sessions signed with a secret derived
 * from them: every replica with the same keys accepts the same cookie, and
 * changing the keys ends every session. Each session has a random id, which
 * sign-out records as revoked in the database, for every replica to see.
 */
export function createKeyring(keys: readonly string[], options: KeyringOptions) {
  const secret = digest(`kalmia-session-v2\n${[...keys].sort().join("\n")}`);
  const sign = (id: string, expires: number) =>
    createHmac("sha256", secret).update(`session:${id}:${expires}`).digest("base64url");
  /** The id and expiry of a token this keyring signed and that has not expired, else null. */
  const verified = (token: string | null | undefined, now: number) => {
    const match = SESSION_TOKEN.exec(token ?? "");
    if (!match) return null;
    const expires = Number(match[1]);
    const id = match[2]!;
    if (expires <= now / 1000 || !sameSecret(match[3]!, sign(id, expires))) return null;
    return { id, expiresAt: new Date(expires * 1000) };
  };

  return {
    required: keys.length > 0,
    cookieName: options.cookieName,
    isKey(candidate: string | null | undefined): boolean {
      if (!candidate) return false;
      let found = false;
      for (const key of keys) found = sameSecret(candidate, key) || found;
      return found;
    },
    newSession(now = Date.now()): { token: string; maxAge: number } {
      const expires = Math.floor(now / 1000) + SESSION_SECONDS;
      const id = randomBytes(16).toString("base64url");
      return { token: `${expires}.${id}.${sign(id, expires)}`, maxAge: SESSION_SECONDS };
    },
    async isSession(token: string | null | undefined, now = Date.now()): Promise<boolean> {
      const session = verified(token, now);
      if (!session) return false;
      return !(await options.revocations.isRevoked(session.id));
    },
    /** Ends a session on every replica; a token that is not a live session needs nothing. */
    async endSession(token: string | null | undefined, now = Date.now()): Promise<void> {
      const session = verified(token, now);
      if (session) await options.revocations.revoke(session.id, session.expiresAt);
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
