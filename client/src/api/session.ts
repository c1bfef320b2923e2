import { ApiError, getJson } from "./http.ts";

export type Session = { auth_required: boolean; signed_in: boolean };

/** Whether the dashboard may read traces yet (servers with KALMIA_API_KEYS ask for a key once). */
export async function getSession(): Promise<Session> {
  try {
    return await getJson<Session>("/api/session");
  } catch (error) {
    // A server without sign-in has no such route: nothing to sign in to.
    if (error instanceof ApiError && error.status === 404) return { auth_required: false, signed_in: true };
    throw error;
  }
}

/** Trades an API key for an HttpOnly session cookie; the key itself is not kept. */
export async function signIn(apiKey: string): Promise<void> {
  const response = await fetch("/api/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ api_key: apiKey }),
  });
  if (response.ok) return;
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  throw new ApiError(response.status, body?.error?.message ?? `The server answered ${response.status}.`);
}
