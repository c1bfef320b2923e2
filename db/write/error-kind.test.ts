import { describe, expect, test } from "bun:test";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { classifyError, describeError, faultOf } from "./error-kind.ts";

const fine = () => Promise.resolve();
const down = () => Promise.reject(new Error("no database"));

describe("classifying a failed write", () => {
  test("a database error wrapped with its SQL and values gives its SQLSTATE, message and column, never the SQL or the values", () => {
    const driver = Object.assign(new Error('invalid input syntax for type integer: "sk-secret-value"'), { code: "22P02", column_name: "prompt_tokens", table_name: "spans_p20261206" });
    const wrapped = new DrizzleQueryError("insert into spans (id) values ($1)", ["sk-secret-value"], driver);
    const classified = classifyError(wrapped);
    expect(classified.code).toBe("22P02");
    expect(classified.reason).toContain("invalid input syntax for type integer");
    expect(classified.reason).toContain("column prompt_tokens");
    for (const text of [classified.reason, describeError(wrapped)]) {
      expect(text).not.toContain("sk-secret-value");
      expect(text).not.toContain("insert into");
    }
  });

  test("PGlite's field names (column, constraint) are read too", () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint "projects_name_unique"'), { code: "23505", constraint: "projects_name_unique" });
    expect(classifyError(error)).toEqual({ code: "23505", reason: 'duplicate key value violates unique constraint "projects_name_unique"; constraint projects_name_unique' });
  });

  test("an unreachable database is 'unavailable', whatever the driver's text", () => {
    const refused = Object.assign(new Error("write ECONNREFUSED 10.0.0.5:5432 user=admin"), { code: "ECONNREFUSED" });
    expect(classifyError(refused)).toEqual({ code: "unavailable", reason: "the database could not be reached (ECONNREFUSED)" });
    const closed = Object.assign(new Error("write CONNECTION_CLOSED db.internal:5432"), { code: "CONNECTION_CLOSED" });
    expect(classifyError(closed).code).toBe("unavailable");
  });

  test("an error that is not the database's is 'internal', by its kind and first line", () => {
    expect(classifyError(new RangeError("Maximum call stack size exceeded"))).toEqual({ code: "internal", reason: "RangeError: Maximum call stack size exceeded" });
  });
});

describe("whose fault a failed batch is", () => {
  test("a SQLSTATE of bad data is the rows'; of a lost connection, a deadlock or a shutdown, the database's", async () => {
    expect(await faultOf(Object.assign(new Error("x"), { code: "22003" }), down)).toBe("rows");
    for (const code of ["08006", "40P01", "53300", "57P01"]) expect(await faultOf(Object.assign(new Error("x"), { code }), fine)).toBe("database");
  });

  test("a connection error is the database's without asking it", async () => {
    expect(await faultOf(Object.assign(new Error("x"), { code: "ECONNRESET" }), fine)).toBe("database");
    expect(await faultOf(Object.assign(new Error("x"), { code: "CONNECT_TIMEOUT" }), fine)).toBe("database");
  });

  test("an error that says neither is the rows' when the database answers, else the database's", async () => {
    expect(await faultOf(new RangeError("Invalid time value"), fine)).toBe("rows");
    expect(await faultOf(new Error("the embedded database's thread exited"), down)).toBe("database");
  });
});
