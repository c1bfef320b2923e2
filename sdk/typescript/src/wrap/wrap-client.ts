import { rememberClientKeys } from "../span/client-keys.ts";
import { warnOnce } from "../util/warn.ts";
import { patchObject, type Patches } from "./patch-object.ts";

/**
 * Wraps a provider client if `recognise` says it is one; anything else comes back untouched with one
 * warning, and so does a client whose wrapping fails, because tracing must never break the app. The
 * client's key is remembered, so that no span row ever carries it.
 */
export function wrapClient<T>(client: T, wrapper: string, expected: string, recognise: (client: object) => boolean, patches: Patches): T {
  if (typeof client !== "object" || client === null || !recognise(client)) {
    warnOnce(wrapper, `${wrapper}() expects ${expected}; returning it unwrapped`);
    return client;
  }
  try {
    rememberClientKeys(client);
    return patchObject(client, patches);
  } catch (error) {
    warnOnce(`${wrapper}-failed`, `${wrapper}() failed (${String(error)}); returning the client unwrapped`);
    return client;
  }
}
