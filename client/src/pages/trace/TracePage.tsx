import { useParams } from "@solidjs/router";
import { createSignal, Match, Show, Switch } from "solid-js";
import { ErrorState, Loading } from "../../components/States.tsx";
import { ConversationView } from "./ConversationView.tsx";
import { SpanDetail } from "./SpanDetail.tsx";
import { SpanTree } from "./SpanTree.tsx";
import { TraceHeader } from "./TraceHeader.tsx";
import { TraceNotFound } from "./TraceNotFound.tsx";
import { createTraceView } from "./trace-view.ts";

export function TracePage() {
  const params = useParams();
  // Keyed: moving to another trace builds a fresh view (and live subscription).
  return (
    <Show when={params.id} keyed>
      {(id) => <TraceScreen id={id} />}
    </Show>
  );
}

function TraceScreen(props: { id: string }) {
  const view = createTraceView(() => props.id);
  const [selected, setSelected] = createSignal<string | null>(null);
  const selectedSpan = () => {
    const id = selected();
    const spans = view.spans();
    return spans.find((s) => s.span_id === id) ?? spans.find((s) => !s.span_parents?.length) ?? spans[0] ?? null;
  };

  return (
    <div class="page page-fill trace-page">
      <Switch>
        <Match when={view.state() === "error" && view.missing()}>
          <TraceNotFound id={props.id} />
        </Match>
        <Match when={view.state() === "error"}>
          <ErrorState message={view.error()} onRetry={() => void view.reload()} />
        </Match>
        <Match when={view.state() === "loading" || !view.trace()}>
          <Loading label="Loading trace…" />
        </Match>
        <Match when={view.trace()}>
          {(trace) => (
            <>
              <TraceHeader trace={trace()} live={view.liveStatus()} />
              <div class="trace-layout">
                <section class="panel conversation-panel" aria-label="Conversation">
                  <ConversationView trace={trace()} spans={view.spans()} selected={selectedSpan()?.span_id ?? null} onSelect={setSelected} />
                </section>
                <div class="trace-side">
                  <section class="panel tree-panel" aria-label="Spans">
                    <SpanTree spans={view.spans()} selected={selectedSpan()?.span_id ?? null} onSelect={setSelected} />
                  </section>
                  <section class="panel detail-panel" aria-label="Span detail">
                    <Show when={selectedSpan()}>{(span) => <SpanDetail span={span()} />}</Show>
                  </section>
                </div>
              </div>
            </>
          )}
        </Match>
      </Switch>
    </div>
  );
}
