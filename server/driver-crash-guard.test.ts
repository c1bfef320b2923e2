import { expect, test } from "bun:test";
import { isStrayDriverError } from "./driver-crash-guard.ts";

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
