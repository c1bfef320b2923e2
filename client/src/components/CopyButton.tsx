import { createSignal } from "solid-js";

/** Copies a value (computed only when clicked) and says so for a moment. */
export function CopyButton(props: { value: () => string; label?: string; class?: string }) {
  const [done, setDone] = createSignal(false);
  const copy = async (event: MouseEvent) => {
    event.stopPropagation();
    await copyText(props.value());
    setDone(true);
    setTimeout(() => setDone(false), 1200);
  };
  return (
    <button type="button" class={`copy-button ${props.class ?? ""}`} onClick={copy} title={props.label ?? "Copy"}>
      {done() ? "Copied" : (props.label ?? "Copy")}
    </button>
  );
}

/** navigator.clipboard needs a secure context; plain-http dashboards fall back to a hidden textarea. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
}
