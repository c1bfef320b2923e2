import { A } from "@solidjs/router";
import type { JSX } from "solid-js";

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
        </nav>
      </header>
      <main class="main">{props.children}</main>
    </div>
  );
}
