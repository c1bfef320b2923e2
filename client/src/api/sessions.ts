import { getJson } from "./http.ts";
import type { SessionDetail, SessionPage, UserSort, UserSummary } from "./types.ts";

export function listSessions(project: string | undefined, cursor: string | null, signal?: AbortSignal): Promise<SessionPage> {
  return getJson<SessionPage>("/api/v1/sessions", { project, cursor, limit: 100 }, signal);
}

export function getSession(id: string, project: string | undefined, signal?: AbortSignal): Promise<SessionDetail> {
  return getJson<SessionDetail>(`/api/v1/sessions/${encodeURIComponent(id)}`, { project }, signal);
}

export function listUsers(
  query: { project?: string; sort: UserSort; order: "asc" | "desc" },
  cursor: string | null,
  signal?: AbortSignal,
): Promise<{ users: UserSummary[]; next_cursor: string | null }> {
  return getJson("/api/v1/users", { ...query, cursor, limit: 100 }, signal);
}
