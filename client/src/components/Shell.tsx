import { A } from "@solidjs/router";
import type { JSX } from "solid-js";
import { SessionGate } from "./SessionGate.tsx";
import { ZoneSwitch } from "./ZoneSwitch.tsx";

export function Shell(props: { children?: JSX.Element }) {
  return (
    <div class="shell">
      <header class="topbar">
        <A href="/" class="brand" end>
          <span class="brand-mark" />
          Kalmia
        </A>
        <nav class="nav">
          <A href="/" end>
            Projects
          </A>
          <A href="/traces">Traces</A>
          <A href="/sessions">Sessions</A>
          <A href="/users">Users</A>
        </nav>
        <ZoneSwitch />
      </header>
      <main class="main">
        <SessionGate>{props.children}</SessionGate>
      </main>
    </div>
  );
}
