import { eq, lt } from "drizzle-orm";
import type { SessionRevocations } from "../server/auth/api-keys.ts";
import type { Db } from "./connect/open.ts";
import { revokedSessions } from "./schema.ts";

/**
 * Sign-outs, kept in the database so that a session ended on one replica is ended on all.
 * A row is needed only until the session would have expired anyway: each sign-out deletes
 * the rows past that point, so the table holds at most a week of sign-outs.
 */
export function sessionRevocations(db: Db): SessionRevocations {
  return {
    async revoke(sessionId, expiresAt) {
      await db.delete(revokedSessions).where(lt(revokedSessions.expiresAt, new Date()));
      await db.insert(revokedSessions).values({ id: sessionId, expiresAt }).onConflictDoNothing();
    },
    async isRevoked(sessionId) {
      const rows = await db.select({ id: revokedSessions.id }).from(revokedSessions).where(eq(revokedSessions.id, sessionId)).limit(1);
      return rows.length > 0;
    },
  };
}
