import DOMPurify from "dompurify";
import { Marked } from "marked";

/**
 * Assistant text as Markdown (headings, lists, code, tables), for display only. Captured text is
 * attacker-controlled, so: raw HTML in it is shown as text, not parsed; images become links
 * (nothing remote is loaded); and the result goes through DOMPurify, which drops scripts, handlers
 * and javascript: links whatever the parser produced.
 */
const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    image({ href, text }) {
      return `<a href="${escapeHtml(href)}" rel="noreferrer noopener" target="_blank">[image: ${escapeHtml(text || href)}]</a>`;
    },
  },
});

const SAFE_LINK = /^(https?:|mailto:|#)/i;

let hooked = false;
function purifier() {
  if (!hooked) {
    hooked = true;
    DOMPurify.addHook("afterSanitizeAttributes", (node) => {
      if (node.tagName === "A") {
        const href = node.getAttribute("href") ?? "";
        if (!SAFE_LINK.test(href.trim())) node.removeAttribute("href");
        node.setAttribute("rel", "noreferrer noopener");
        node.setAttribute("target", "_blank");
      }
    });
  }
  return DOMPurify;
}

export function renderMarkdown(text: string): string {
  const html = marked.parse(text) as string;
  return purifier().sanitize(html, {
    ALLOWED_TAGS: ["p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "input"],
    ALLOWED_ATTR: ["href", "rel", "target", "align", "type", "checked", "disabled", "start"],
    ALLOW_DATA_ATTR: false,
  });
}

/** Worth rendering as Markdown: has a heading, list, fence, table, emphasis or link. */
export function looksLikeMarkdown(text: string): boolean {
  return /(^|\n)(#{1,6} |[-*+] |\d+\. |```|\|.*\|)|\*\*[^*]+\*\*|\[[^\]]+\]\([^)]+\)/.test(text);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
