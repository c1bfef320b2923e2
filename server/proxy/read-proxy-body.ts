type Body = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; status: 400 | 413; message: string };

/** The caller's body as bytes, refused at once when its declared length is over the limit. */
export async function readProxyBody(request: Request, limit: number): Promise<Body> {
  const tooLarge = { ok: false, status: 413, message: `request body exceeds Kalmia's proxy limit of ${limit} bytes` } as const;
  if (Number(request.headers.get("content-length") ?? 0) > limit) return tooLarge;
  const bytes = new Uint8Array(await request.arrayBuffer());
  return bytes.byteLength > limit ? tooLarge : { ok: true, bytes };
}

type Json = { ok: true; value: Record<string, unknown> } | { ok: false; status: 400; message: string };

/** Recorded endpoints take a JSON object; anything else is the caller's mistake, answered 400. */
export function parseJsonObject(bytes: Uint8Array): Json {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    return { ok: false, status: 400, message: `request body is not valid JSON: ${(error as Error).message}` };
  }
  if (value && typeof value === "object" && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
  return { ok: false, status: 400, message: "request body must be a JSON object" };
}
