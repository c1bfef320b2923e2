import { createSignal } from "solid-js";

const KEY = "kalmia.markdown";

function stored(): boolean {
  try {
    return localStorage.getItem(KEY) !== "raw";
  } catch {
    return true;
  }
}

/** Markdown rendering of assistant text, or the raw text; remembered per browser. */
const [markdownOn, setMarkdown] = createSignal(stored());

export { markdownOn };

export function setMarkdownOn(on: boolean): void {
  setMarkdown(on);
  try {
    localStorage.setItem(KEY, on ? "markdown" : "raw");
  } catch {
    // Private windows may refuse storage; the choice then lasts for this page only.
  }
}
