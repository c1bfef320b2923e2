import { useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { createEffect, createMemo, createSignal, Match, on, onCleanup, onMount, Show, Switch } from "solid-js";
import type { Span } from "../../api/types.ts";
import { Splitter, storedFraction, storeFraction } from "../../components/Splitter.tsx";
import { ErrorState, Loading } from "../../components/States.tsx";
import { failingSpans } from "../../lib/span-errors.ts";
import { ancestorsOf, buildSpanTree, timeRange } from "../../lib/span-tree.ts";
import { parentOf, spanStatus } from "../../lib/spans.ts";
import { isStale } from "../../lib/trace-activity.ts";
import { ConversationView } from "./ConversationView.tsx";
import { SpanDetail } from "./SpanDetail.tsx";
import { ScoresPanel } from "./ScoresPanel.tsx";
import { SpanTree } from "./SpanTree.tsx";
import { TraceHeader } from "./TraceHeader.tsx";
import { useTraceKeys } from "./trace-keys.ts";
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

type Tab = "conversation" | "tree" | "span";
const NARROW = "(max-width: 1000px)";

function TraceScreen(props: { id: string }) {
  const view = createTraceView(() => props.id);
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  // The selected span lives in the URL (?span=), so a link opens the trace at that span. Moves are
  // drawn at once and written to the URL when they pause: a router navigation per j/k step costs more
  // than the step.
  const urlSpan = () => (typeof search.span === "string" ? search.span : null);
  const [selectedParam, setSelectedParam] = createSignal(urlSpan());
  createEffect(on(urlSpan, (id) => id !== null && setSelectedParam(id), { defer: true }));
  let urlTimer: ReturnType<typeof setTimeout> | undefined;
  const select = (spanId: string) => {
    setSelectedParam(spanId);
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => setSearch({ span: spanId }, { replace: true }), 150);
  };
  onCleanup(() => clearTimeout(urlTimer));

  const now = createNow(() => view.trace()?.status === "running" || view.spans().some((s) => spanStatus(s) === "running"));
  const [folded, setFolded] = createSignal<ReadonlySet<string>>(new Set());
  const rows = createMemo(() => buildSpanTree(view.spans(), now(), folded()));
  const range = createMemo(() => {
    const r = timeRange(view.spans(), now());
    return r.to - r.from;
  });
  const selectedSpan = createMemo<Span | null>(() => {
    const id = selectedParam();
    const spans = view.spans();
    return spans.find((s) => s.span_id === id) ?? spans.find((s) => !s.span_parents?.length) ?? spans[0] ?? null;
  });
  const selectedId = () => selectedSpan()?.span_id ?? null;
  const errors = createMemo(() => failingSpans(view.spans()));
  const errorIndex = () => errors().findIndex((s) => s.span_id === selectedId());
  const stale = () => {
    const trace = view.trace();
    return trace ? isStale(trace, view.spans(), now()) : false;
  };

  const toggle = (spanId: string, fold?: boolean) => {
    const next = new Set(folded());
    if (fold ?? !next.has(spanId)) next.add(spanId);
    else next.delete(spanId);
    setFolded(next);
  };
  // A span selected from elsewhere (link, error chip, conversation) is never hidden in a folded subtree.
  createEffect(
    on(selectedId, (id) => {
      if (!id) return;
      const hidden = ancestorsOf(id, view.spans()).filter((a) => folded().has(a));
      if (hidden.length) setFolded(new Set([...folded()].filter((f) => !hidden.includes(f))));
      requestAnimationFrame(() => revealInConversation(id));
    }),
  );

  const [tab, setTab] = createSignal<Tab>("conversation");
  const narrow = createMedia(NARROW);
  const onTreeSelect = (spanId: string) => {
    select(spanId);
    if (narrow()) setTab("span");
  };
  const nextError = () => {
    const list = errors();
    if (!list.length) return;
    select(list[(errorIndex() + 1) % list.length]!.span_id);
  };

  useTraceKeys({
    step: (by) => {
      const list = rows();
      const index = list.findIndex((r) => r.span.span_id === selectedId());
      const next = list[Math.min(list.length - 1, Math.max(0, index + by))];
      if (next) select(next.span.span_id);
    },
    fold: () => {
      const span = selectedSpan();
      if (!span) return;
      const row = rows().find((r) => r.span.span_id === span.span_id);
      if (row?.children && !folded().has(span.span_id)) toggle(span.span_id, true);
      else if (parentOf(span)) select(parentOf(span)!);
    },
    unfold: () => {
      const id = selectedId();
      if (id && folded().has(id)) toggle(id, false);
    },
    back: () => {
      clearTimeout(urlTimer);
      const project = view.trace()?.project;
      if (window.history.length > 1) window.history.back();
      else navigate(project ? `/traces?project=${encodeURIComponent(project)}` : "/traces");
    },
    nextError,
  });

  let layout: HTMLDivElement | undefined;
  let side: HTMLDivElement | undefined;
  const [conv, setConv] = createSignal(storedFraction("kalmia.trace.conversation", 0.53));
  const [tree, setTree] = createSignal(storedFraction("kalmia.trace.tree", 0.55));

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
              <TraceHeader
                trace={trace()}
                spans={view.spans()}
                live={view.liveStatus()}
                now={now()}
                stale={stale()}
                errors={errors()}
                errorIndex={errorIndex()}
                onNextError={nextError}
              />
              <div class="trace-tabs" role="tablist" aria-label="Trace views">
                {(["conversation", "tree", "span"] as const).map((name) => (
                  <button type="button" role="tab" class="trace-tab" aria-selected={tab() === name} onClick={() => setTab(name)}>
                    {name === "conversation" ? "Conversation" : name === "tree" ? "Tree" : "Span"}
                  </button>
                ))}
              </div>
              <div
                class="trace-layout"
                data-tab={tab()}
                ref={layout}
                style={{ "--conv": `${conv()}fr`, "--side": `${1 - conv()}fr`, "--tree": `${tree()}fr`, "--detail": `${1 - tree()}fr` }}
              >
                <section class="panel conversation-panel" aria-label="Conversation">
                  <ConversationView
                    trace={trace()}
                    spans={view.spans()}
                    selected={selectedId()}
                    running={trace().status === "running" && !stale()}
                    onSelect={select}
                  />
                </section>
                <Splitter orientation="vertical" label="Resize conversation and spans" container={() => layout} onMove={(x, w) => setConv(storeFraction("kalmia.trace.conversation", x / w))} />
                <div class="trace-side" ref={side}>
                  <section class="panel tree-panel" aria-label="Spans">
                    <SpanTree
                      rows={rows()}
                      total={view.spans().length}
                      range={range()}
                      selected={selectedId()}
                      folded={folded()}
                      onSelect={onTreeSelect}
                      onToggle={(id) => toggle(id)}
                    />
                  </section>
                  <Splitter orientation="horizontal" label="Resize span tree and span detail" container={() => side} onMove={(y, h) => setTree(storeFraction("kalmia.trace.tree", y / h))} />
                  <section class="panel detail-panel" aria-label="Span detail">
                    <Show when={selectedSpan()}>{(span) => <SpanDetail span={span()} />}</Show>
                  </section>
                  <section class="panel scores-panel" aria-label="Scores">
                    <h2 class="panel-title">Scores</h2>
                    <ScoresPanel
                      traceId={trace().id}
                      scores={view.scores}
                      setScores={view.setScores}
                      selectedSpan={selectedSpan()}
                      rootSpanId={view.spans().find((s) => !s.span_parents?.length)?.id ?? null}
                    />
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

/**
 * Brings the selected span's message into view in the conversation (when it has one), unless one
 * of its messages already is (a click on a turn must not make the conversation jump). A failed
 * call's error is preferred over the prompt that led to it.
 */
function revealInConversation(spanId: string): void {
  const panel = document.querySelector(".conversation-panel");
  if (!panel) return;
  const matches = [...panel.querySelectorAll<HTMLElement>(`[data-span-id="${CSS.escape(spanId)}"]`)];
  if (!matches.length) return;
  // The panel scrolls on wide screens, the page below 1000 px: what is seen is where both overlap.
  const panelBox = panel.getBoundingClientRect();
  const top = Math.max(panelBox.top, 0);
  const bottom = Math.min(panelBox.bottom, window.innerHeight);
  const inView = (el: HTMLElement) => {
    const box = el.getBoundingClientRect();
    return box.height > 0 && box.bottom > top && box.top < bottom;
  };
  if (matches.some(inView)) return;
  (matches.find((el) => el.classList.contains("failed")) ?? matches[0]!).scrollIntoView({ block: "nearest" });
}

/** Unix seconds, ticking once a second while `active` (running bars grow, elapsed time counts). */
function createNow(active: () => boolean) {
  const [now, setNow] = createSignal(Date.now() / 1000);
  onMount(() => {
    const timer = setInterval(() => active() && setNow(Date.now() / 1000), 1000);
    onCleanup(() => clearInterval(timer));
  });
  return now;
}

function createMedia(query: string) {
  const list = window.matchMedia(query);
  const [matches, setMatches] = createSignal(list.matches);
  const onChange = () => setMatches(list.matches);
  list.addEventListener("change", onChange);
  onCleanup(() => list.removeEventListener("change", onChange));
  return matches;
}
