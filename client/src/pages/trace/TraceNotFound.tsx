import { A } from "@solidjs/router";
import { EmptyState } from "../../components/States.tsx";
import { backToListHref } from "../traces/list-return.ts";

/** A trace id the server does not know: said plainly, with the way back to the list. */
export function TraceNotFound(props: { id: string }) {
  return (
    <EmptyState title="Trace not found">
      <p class="not-found-id">
        No trace has the id <code>{props.id}</code>. It may have been deleted by retention, or the link is mistyped.
        If it is still being written, it opens here as soon as it is stored.
      </p>
      <A href={backToListHref()} class="button">
        Back to traces
      </A>
    </EmptyState>
  );
}
