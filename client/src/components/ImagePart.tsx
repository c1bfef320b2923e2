import { createEffect, createSignal, onCleanup, Show } from "solid-js";
import { Portal } from "solid-js/web";

/**
 * An image from captured content. Inline (data:) images are drawn as a thumbnail that opens full
 * size; remote addresses are only links, never loaded (the CSP allows `img-src 'self' data:`).
 */
export function ImagePart(props: { dataUrl: string | null; url: string | null }) {
  const [open, setOpen] = createSignal(false);
  createEffect(() => {
    if (!open()) return;
    // Esc closes the full-size view (and only that: the trace page leaves Esc alone while it is open).
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setOpen(false);
    document.addEventListener("keydown", onKey);
    onCleanup(() => document.removeEventListener("keydown", onKey));
  });
  return (
    <Show
      when={props.dataUrl}
      fallback={
        <a class="image-link" href={props.url ?? "#"} target="_blank" rel="noreferrer noopener" onClick={(e) => e.stopPropagation()}>
          Image: {props.url}
        </a>
      }
    >
      {(src) => (
        <>
          <button type="button" class="image-thumb" title="Open full size" onClick={(e) => (e.stopPropagation(), setOpen(true))}>
            <img src={src()} alt="attached image" loading="lazy" />
          </button>
          {/* In a portal: a message's containment (content-visibility) would clip a fixed overlay. */}
          <Show when={open()}>
            <Portal>
              <div class="image-full" role="dialog" aria-label="Image, full size" onClick={(e) => (e.stopPropagation(), setOpen(false))}>
                <img src={src()} alt="attached image, full size" />
              </div>
            </Portal>
          </Show>
        </>
      )}
    </Show>
  );
}
