import { Elysia } from "elysia";
import { badRequest, errorBody, jsonResponse } from "../errors.ts";
import { isObject } from "../http/checked.ts";
import { readJsonBody } from "../http/read-json-body.ts";
import { cookieValue, type Keyring } from "./api-keys.ts";
import { answers, body } from "../openapi/describe.ts";
import { ErrorBody, Session, SignIn } from "../openapi/schemas.ts";

function cookie(request: Request, name: string, value: string, maxAge: number) {
  // Secure when the browser reached us over TLS (directly or through a proxy).
  const secure =
    new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

/**
 * The dashboard's sign-in: a key exchanged once for an HttpOnly, SameSite
 * cookie, which the API and the live feed then accept (no key in any URL).
 * Sign-out ends the session on the server too, not only in this browser.
 */
export const sessionRoutes = (keyring: Keyring) => {
  const sessionOf = (request: Request) => cookieValue(request.headers.get("cookie"), keyring.cookieName());
  return new Elysia()
    .get("/api/session", async ({ request }) => ({
      auth_required: keyring.required,
      signed_in: !keyring.required || (await keyring.isSession(sessionOf(request))),
    }), {
      detail: { summary: "Whether keys are required and this browser is signed in", tags: ["operations"], responses: answers({ 200: ["the session", Session] }) },
    })
    .post(
      "/api/session",
      async ({ request }) => {
        const body = await readJsonBody(request, 4096);
        if (!isObject(body) || typeof body.api_key !== "string") throw badRequest('send {"api_key": "..."}');
        if (!keyring.required) return { auth_required: false, signed_in: true };
        if (!keyring.isKey(body.api_key)) {
          return jsonResponse(401, errorBody("unauthorized", "that API key is not valid"));
        }
        const session = keyring.newSession();
        return jsonResponse(200, { auth_required: true, signed_in: true }, {
          "set-cookie": cookie(request, keyring.cookieName(), session.token, session.maxAge),
        });
      },
      {
        parse: "none",
        detail: {
          summary: "Sign the dashboard in",
          description: "Exchanges an API key for an HttpOnly, SameSite=Strict session cookie.",
          tags: ["operations"],
          requestBody: body("the key", { "application/json": SignIn }),
          responses: answers({ 200: ["signed in (the cookie is set)", Session], 400: ["no api_key in the body", ErrorBody], 401: ["not a valid key", ErrorBody] }),
        },
      },
    )
    .delete("/api/session", async ({ request }) => {
      await keyring.endSession(sessionOf(request));
      return jsonResponse(200, { signed_in: false }, { "set-cookie": cookie(request, keyring.cookieName(), "", 0) });
    }, {
      detail: { summary: "Sign out", description: "Ends the session on the server too.", tags: ["operations"], responses: answers({ 200: ["signed out", Session] }) },
    });
};
