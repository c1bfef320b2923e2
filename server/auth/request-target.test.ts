import { expect, test } from "bun:test";
import { Elysia } from "elysia";
import { isPlausibleAuthority, routedPath } from "./request-target.ts";

// If an Elysia upgrade changed how it finds the path in request.url, the guard (routedPath) and
// the router would disagree again: this compares them on URLs whose hosts are 1 to 9 characters.
test("routedPath is the path Elysia routes on, with createApp's handler settings, for short and long hosts", async () => {
  const app = new Elysia({ handler: { standardHostname: false } }).get("/*", ({ path }) => path);
  for (const host of ["a", "ab", "abc", "a:1", "kalmia", "localhost", "[::1]:3000", "127.0.0.1:3000"]) {
    for (const target of ["/xx/api/v1/traces", "/x/api/v1/traces", "//api/v1/traces", "/api/v1/traces?x=/y", "/"]) {
      const url = `http://${host}${target}`;
      const routed = await (await app.handle(new Request(url))).text();
      expect({ url, routed }).toEqual({ url, routed: routedPath(url) });
    }
  }
});

test("a plausible authority is one host name or address, with an optional port", () => {
  for (const ok of ["a", "kalmia", "kalmia-a:3000", "my_service", "127.0.0.1:3000", "[::1]:3000", "Example.COM.", "localhost"]) {
    expect({ ok, plausible: isPlausibleAuthority(ok) }).toEqual({ ok, plausible: true });
  }
  for (const bad of ["", "a, localhost", "a/b", "a?b", "a@b", "a b", "a:99999", "a:", ":80", "[zz]", "-a", "a..b", "a".repeat(300)]) {
    expect({ bad, plausible: isPlausibleAuthority(bad) }).toEqual({ bad, plausible: false });
  }
});
