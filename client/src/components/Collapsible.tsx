import { createSignal, Show, type JSX } from "solid-js";

export function Collapsible(props: { title: string; open?: boolean; actions?: JSX.Element; children: JSX.Element }) {
  const [open, setOpen] = createSignal(props.open ?? true);
  return (
    <section class="collapsible">
      <div class="collapsible-bar">
        <button type="button" class="collapsible-head" aria-expanded={open()} onClick={() => setOpen(!open())}>
          <span class="json-caret">{open() ? "▾" : "▸"}</span>
          {props.title}
        </button>
        {props.actions}
      </div>
      <Show when={open()}>
        <div class="collapsible-body">{props.children}</div>
      </Show>
    </section>
  );
}
