/**
 * Ids inside answers derive from the request body, so calling the fake directly and through the
 * proxy yields byte-identical bodies; request ids in headers stay unique per request, like the real APIs.
 */
export function bodyIds(bodyText: string) {
  const hash = Bun.hash(bodyText).toString(16).padStart(16, "0");
  return {
    hash,
    of: (prefix: string, index = 0) => `${prefix}${hash}${index.toString(16).padStart(4, "0")}`,
  };
}

export type BodyIds = ReturnType<typeof bodyIds>;

let requestCounter = 0;

export function nextRequestId(): string {
  requestCounter += 1;
  return `req_fake${requestCounter.toString(16).padStart(20, "0")}`;
}

/** A fixed creation time keeps answers deterministic; clients never check it against the clock. */
export const CREATED = 1_767_225_600;
