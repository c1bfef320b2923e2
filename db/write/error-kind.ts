// SQLSTATE classes worth waiting out: connection (08), transaction rollback
// such as deadlock or serialization (40), resources (53), operator
// intervention such as a shutdown (57), system errors (58).
const TRANSIENT_CLASSES = /^(08|40|53|57|58)/;
const SQLSTATE = /^[0-9A-Z]{5}$/;
// What a driver or the network says when the database cannot be reached: system errors
// (ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, ENOTFOUND, EAI_AGAIN...) and postgres.js' own
// (CONNECTION_CLOSED, CONNECTION_ENDED, CONNECTION_DESTROYED, CONNECT_TIMEOUT).
const CONNECTION_CODES = /^(E[A-Z]+|EAI_[A-Z]+|CONNECT_TIMEOUT|CONNECTION_[A-Z_]+)$/;

/** The errors of a chain: drizzle wraps the driver's error (whose message is the SQL) as its cause. */
function chainOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

const codeOf = (e: unknown) => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : null;
};

function sqlstateOf(error: unknown): { code: string; from: Record<string, unknown> } | null {
  for (const e of chainOf(error)) {
    const code = codeOf(e);
    if (code && SQLSTATE.test(code)) return { code, from: e as Record<string, unknown> };
  }
  return null;
}

/**
 * Tells a batch the database will never take as it is (bad data, or any
 * other SQL error) from a fault worth retrying: a lost connection, a server
 * going down, a deadlock. Only errors carrying a SQLSTATE say so; see faultOf for the rest.
 */
export function isPermanentError(error: unknown): boolean {
  const state = sqlstateOf(error);
  return state !== null && !TRANSIENT_CLASSES.test(state.code);
}

/** A fault worth waiting out: a transient SQLSTATE, or the database out of reach. */
export function isTransientError(error: unknown): boolean {
  const state = sqlstateOf(error);
  if (state) return TRANSIENT_CLASSES.test(state.code);
  return chainOf(error).some((e) => CONNECTION_CODES.test(codeOf(e) ?? ""));
}

/**
 * Whose fault a failed batch is. "rows": something in it the database refuses, or that cannot
 * even be turned into statements (a RangeError from a value JSON cannot serialise, an invalid
 * Date): retrying it as it is would fail forever and hold every later write behind it. "database":
 * worth retrying. An error that says neither (no SQLSTATE, no connection code: a closed embedded
 * database's thread, a driver's own message) is the rows' only if the database answers `probe`.
 */
export async function faultOf(error: unknown, probe: () => Promise<unknown>): Promise<"rows" | "database"> {
  if (isPermanentError(error)) return "rows";
  if (isTransientError(error)) return "database";
  try {
    await probe();
    return "rows";
  } catch {
    return "database";
  }
}

/** A failure as it may be shown and logged: never the SQL text, its parameters or a driver's details. */
export type ClassifiedError = {
  /** The SQLSTATE; "unavailable" when the database could not be reached; else "internal". */
  code: string;
  /** Short: the database's own message, with the column, constraint or table it names. */
  reason: string;
};

// Quoted parts of a database message that are no identifier may be data (`invalid input syntax for
// type json: "..."`): left out.
const quotedData = /"(?![A-Za-z_][A-Za-z0-9_$]{0,62}")[^"]*"/g;
const short = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function classifyError(error: unknown): ClassifiedError {
  const state = sqlstateOf(error);
  if (state) {
    const e = state.from;
    const message = typeof e.message === "string" ? e.message.split("\n")[0]!.replace(quotedData, '"…"') : "";
    // postgres.js names them column_name and so on, PGlite column.
    const named = (["column", "constraint", "table"] as const).flatMap((what) => {
      const value = e[`${what}_name`] ?? e[what];
      return typeof value === "string" && value ? [`${what} ${short(value, 63)}`] : [];
    });
    return { code: state.code, reason: short([message, ...named].filter(Boolean).join("; "), 200) };
  }
  const chain = chainOf(error);
  const connection = chain.map(codeOf).find((code) => code && CONNECTION_CODES.test(code));
  if (connection) return { code: "unavailable", reason: `the database could not be reached (${connection})` };
  // Not the database's: the deepest error, by its kind and first line (a driver's wrapper repeats the SQL).
  const deepest = chain.at(-1);
  if (deepest instanceof Error) {
    const message = deepest.message.split("\n")[0]!.replace(quotedData, '"…"');
    return { code: "internal", reason: short(`${deepest.name}: ${message.startsWith("Failed query:") ? "a query failed" : message}`, 200) };
  }
  return { code: "internal", reason: short(String(error), 200) };
}

/** The classified form as one line, for the log and the writer's last_error. */
export function describeError(error: unknown): string {
  const { code, reason } = classifyError(error);
  return `${code}: ${reason}`;
}

