import type { Config } from "../config.ts";
import { errorBody, jsonResponse } from "../errors.ts";
import { accessFor } from "./access-policy.ts";
import { bearerToken, cookieValue, type Keyring } from "./api-keys.ts";
import { crossSiteRefusal, unacceptableBodyType } from "./cross-site.ts";
import { foreignOrigin } from "./local-request.ts";
import { refuseUnroutableTarget, routedPath } from "./request-target.ts";

const unauthorized = (message: string) =>
  jsonResponse(401, errorBody("unauthorized", message), { "www-authenticate": 'Bearer realm="kalmia"' });

type Credential = "none" | "key" | "cookie";

/**
 * Decides, before routing, whether a request may go on. Returns the refusal,
 * or undefined to let it through. The answer never repeats a key it was sent.
 */
export function createGuard(config: Config, keyring: Keyring) {
  const checkOrigin = !keyring.required && !config.allowOpen;

  /** The credential that lets the request through, or the refusal. */
  async function authenticate(request: Request, path: string): Promise<Credential | Response> {
    const access = accessFor(path);
    if (!keyring.required || access === "public") return "none";
    if (access === "proxy") {
      if (keyring.isKey(request.headers.get("x-kalmia-api-key"))) return "key";
      return unauthorized("this Kalmia requires an API key on proxied calls: send it in the x-kalmia-api-key header");
    }
    if (keyring.isKey(bearerToken(request.headers.get("authorization")))) return "key";
    const session = cookieValue(request.headers.get("cookie"), keyring.cookieName());
    if (session) {
      let signedIn: boolean;
      try {
        signedIn = await keyring.isSession(session);
      } catch {
        // Sign-outs are in the database: without it, a session cannot be told from a revoked one.
        return jsonResponse(503, errorBody("unavailable", "cannot check the dashboard session while the database is unavailable; retry, or send the API key"), { "retry-after": "5" });
      }
      if (signedIn) return "cookie";
    }
    return unauthorized("this Kalmia requires an API key: send Authorization: Bearer <key>, or sign in to the dashboard");
  }

  return async (request: Request): Promise<Response | undefined> => {
    const unroutable = refuseUnroutableTarget(request);
    if (unroutable) return unroutable;
    if (checkOrigin) {
      const foreign = foreignOrigin(request);
      if (foreign) {
        return jsonResponse(403, errorBody("forbidden", `refused a request with a non-local ${foreign}: this Kalmia has no API keys, so it serves this machine only`));
      }
    }
    // The very path the router will route on: a guard that read the path any other way could
    // let through, as public, a request the router hands to a protected route.
    const path = routedPath(request.url);
    const credential = await authenticate(request, path);
    if (credential instanceof Response) return credential;
    const crossSite = crossSiteRefusal(request, credential === "cookie");
    if (crossSite) return jsonResponse(403, errorBody("forbidden", crossSite));
    const badType = unacceptableBodyType(request, path);
    if (badType) return jsonResponse(415, errorBody("unsupported_media_type", badType));
    return undefined;
  };
}
