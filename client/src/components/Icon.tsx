export type IconName = "llm" | "tool" | "task" | "function" | "user" | "system" | "assistant" | "thinking";

/** One path per glyph: a lookup, not a reactive switch (a big trace draws hundreds of icons). */
const PATHS: Record<string, string> = {
  tool: "M10.5 2a3.5 3.5 0 0 0-3.3 4.6L2.4 11.4a1.4 1.4 0 0 0 2 2l4.8-4.8A3.5 3.5 0 0 0 13.9 5l-2 2-2.1-.6-.6-2.1 2-2A3.5 3.5 0 0 0 10.5 2Z",
  llm: "M8 1.5 9.6 6.4 14.5 8 9.6 9.6 8 14.5 6.4 9.6 1.5 8l4.9-1.6Z",
  assistant: "M8 1.5 9.6 6.4 14.5 8 9.6 9.6 8 14.5 6.4 9.6 1.5 8l4.9-1.6Z",
  user: "M8 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm-5.5 6.5C2.5 11.5 5 10 8 10s5.5 1.5 5.5 4.5Z",
  system: "M2 3h12v2H2zm0 4h12v2H2zm0 4h8v2H2z",
  task: "M2 2h5v5H2zm7 0h5v5H9zM2 9h5v5H2zm7 0h5v5H9z",
  thinking: "M8 2a5 5 0 0 0-3 9v2h6v-2a5 5 0 0 0-3-9Zm-2 12h4v1H6z",
};
/** The fallback: a dot. */
const DOT = "M8 4.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7Z";

/** Small static SVG glyphs (no external assets, nothing for the CSP to allow). */
export function Icon(props: { name: IconName | string; class?: string }) {
  return (
    <svg class={`icon icon-${props.name} ${props.class ?? ""}`} viewBox="0 0 16 16" aria-hidden="true" data-icon={props.name}>
      <path d={PATHS[props.name] ?? DOT} />
    </svg>
  );
}
