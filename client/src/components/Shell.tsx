import { A } from "@solidjs/router";
import type { JSX } from "solid-js";
import { SessionGate } from "./SessionGate.tsx";

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
            Experiments
          </A>
          <A href="/traces">Traces</A>
          <A href="/sessions">Sessions</A>
          <A href="/users">Users</A>
        </nav>
      </header>
      <main class="main">
        <SessionGate>{props.children}</SessionGate>
      </main>
    </div>
  );
}
