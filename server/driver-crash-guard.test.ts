import { expect, test } from "bun:test";
import { isDriverTypeLookupFailure, isStrayDriverError } from "./driver-crash-guard.ts";

const socketError = (code: string, syscall: string) => Object.assign(new Error(`${syscall} ${code}`), { code, syscall });

test("a reset reported late by a closed database socket is survived", () => {
  expect(isStrayDriverError(socketError("ECONNRESET", "read"))).toBe(true);
  expect(isStrayDriverError(socketError("EPIPE", "write"))).toBe(true);
  expect(isStrayDriverError(socketError("ECONNREFUSED", "connect"))).toBe(true);
});

test("any other uncaught error still ends the process", () => {
  expect(isStrayDriverError(new Error("boom"))).toBe(false);
  expect(isStrayDriverError(new TypeError("x is not a function"))).toBe(false);
  expect(isStrayDriverError(socketError("ENOENT", "open"))).toBe(false);
  expect(isStrayDriverError("ECONNRESET")).toBe(false);
});

// As postgres.js 3.4.9 leaves the error of a query it failed: the statement's text on `query`.
const failedQuery = (error: Error, query: string) => Object.defineProperty(error, "query", { value: query });
const typeLookup = `
      select b.oid, b.typarray
      from pg_catalog.pg_type a
      left join pg_catalog.pg_type b on b.oid = a.typelem
      where a.typcategory = 'A'
      group by b.oid, b.typarray
      order by b.oid
    `;

test("the driver's own type lookup, failed with nobody to hear it, is survived whatever ended it", () => {
  expect(isDriverTypeLookupFailure(failedQuery(socketError("ECONNRESET", "read"), typeLookup))).toBe(true);
  expect(isDriverTypeLookupFailure(failedQuery(socketError("ECONNREFUSED", "connect"), typeLookup))).toBe(true);
  expect(isDriverTypeLookupFailure(failedQuery(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }), typeLookup))).toBe(true);
});

test("any other unhandled rejection still ends the process, a lost connection's included", () => {
  expect(isDriverTypeLookupFailure(failedQuery(socketError("ECONNRESET", "read"), "select * from spans"))).toBe(false);
  expect(isDriverTypeLookupFailure(socketError("ECONNRESET", "read"))).toBe(false);
  expect(isDriverTypeLookupFailure(new Error("boom"))).toBe(false);
  expect(isDriverTypeLookupFailure(undefined)).toBe(false);
  expect(isDriverTypeLookupFailure(typeLookup)).toBe(false);
});

// The handlers themselves, in a process of their own: listening for unhandled rejections is what
// stops Bun from ending the process on one, so the guard must end it for every other one itself.
async function runGuarded(rejection: string): Promise<{ code: number; output: string }> {
  const guard = new URL("./driver-crash-guard.ts", import.meta.url).pathname;
  const script = `
    const { installDriverCrashGuard } = await import(${JSON.stringify(guard)});
    installDriverCrashGuard();
    void Promise.reject(${rejection});
    setTimeout(() => console.error("still running"), 100);
  `;
  const child = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
  const [output, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  return { code, output };
}

test("a server whose driver's type lookup failed unheard keeps running; one with any other unhandled rejection exits 1", async () => {
  const lookup = await runGuarded(`Object.defineProperty(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", syscall: "read" }), "query", { value: ${JSON.stringify(typeLookup)} })`);
  expect(lookup).toMatchObject({ code: 0, output: expect.stringContaining("still running") });
  const other = await runGuarded(`new Error("a bug of our own")`);
  expect(other.code).toBe(1);
  expect(other.output).toContain("kalmia: unhandled rejection, exiting: Error: a bug of our own");
  expect(other.output).not.toContain("still running");
});
