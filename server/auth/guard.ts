import type { Config } from "../config.ts";
import { errorBody, jsonResponse } from "../errors.ts";
import { accessFor } from "./access-policy.ts";
import { bearerToken, cookieValue, SESSION_COOKIE, type Keyring } from "./api-keys.ts";
import { foreignOrigin } from "./local-request.ts";

const unauthorized = (message: string) =>
  jsonResponse(401, errorBody("unauthorized", message), { "www-authenticate": 'Bearer realm="kalmia"' });

/**
 * Decides, before routing, whether a request may go on. Returns the refusal,
 * or undefined to let it through. The answer never repeats a key it was sent.
 */
export function createGuard(config: Config, keyring: Keyring) {
  const checkOrigin = !keyring.required && !config.allowOpen;

  return (request: Request): Response | undefined => {
    if (checkOrigin) {
      const foreign = foreignOrigin(request);
      if (foreign) {
        return jsonResponse(403, errorBody("forbidden", `refused a request with a non-local ${foreign}: this Kalmia has no API keys, so it serves this machine only`));
      }
    }
    if (!keyring.required) return undefined;
    const path = new URL(request.url).pathname;
    const access = accessFor(path);
    if (access === "public") return undefined;
    if (access === "proxy") {
      if (keyring.isKey(request.headers.get("x-kalmia-api-key"))) return undefined;
      return unauthorized("this Kalmia requires an API key on proxied calls: send it in the x-kalmia-api-key header");
    }
    if (keyring.isKey(bearerToken(request.headers.get("authorization")))) return undefined;
    if (keyring.isSession(cookieValue(request.headers.get("cookie"), SESSION_COOKIE))) return undefined;
    return unauthorized("this Kalmia requires an API key: send Authorization: Bearer <key>, or sign in to the dashboard");
  };
}
