/** What a span records about a failure: the message, the error's class and, for HTTP errors, the status. */
export interface ErrorRecord {
  message: string;
  type: string;
  status?: number;
}

export function describeError(error: unknown): ErrorRecord {
  if (error instanceof Error) {
    const status = (error as { status?: unknown }).status;
    const record: ErrorRecord = { message: error.message, type: error.constructor?.name || error.name };
    if (typeof status === "number") record.status = status;
    return record;
  }
  return { message: String(error), type: typeof error };
}
