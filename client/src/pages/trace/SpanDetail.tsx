import { For, Show } from "solid-js";
import type { Span } from "../../api/types.ts";
import { Collapsible } from "../../components/Collapsible.tsx";
import { CopyButton } from "../../components/CopyButton.tsx";
import { Icon } from "../../components/Icon.tsx";
import { JsonView } from "../../components/JsonView.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { asText } from "../../lib/format.ts";
import { errorMessage } from "../../lib/span-errors.ts";
import { spanStatus } from "../../lib/spans.ts";
import { spanSummary } from "./span-summary.ts";
import { readableMetrics } from "../../lib/time.ts";

const present = (value: unknown) => value !== null && value !== undefined;

export function SpanDetail(props: { span: Span }) {
  return (
    <div class="span-detail" data-span-id={props.span.span_id}>
      <div class="span-detail-head">
        <Icon name={props.span.type ?? "function"} class={`span-icon type-${props.span.type ?? "function"}`} />
        <strong class="ellipsis">{props.span.name ?? props.span.span_id}</strong>
        <StatusBadge status={spanStatus(props.span)} />
        <span class="head-actions push">
          <CopyButton value={() => props.span.span_id} label="Copy id" />
          <CopyButton value={() => JSON.stringify(props.span, null, 2)} label="Copy span JSON" />
        </span>
      </div>
      <dl class="span-summary">
        <For each={spanSummary(props.span)}>
          {(item) => (
            <div class="fact" data-fact={item.label}>
              <dt>{item.label}</dt>
              <dd>{item.value}</dd>
            </div>
          )}
        </For>
      </dl>
      <Show when={present(props.span.error) || spanStatus(props.span) === "error"}>
        <Collapsible title="Error">
          <div class="error-box">
            <Show when={present(props.span.error) && typeof props.span.error === "object"} fallback={<div class="text">{errorMessage(props.span)}</div>}>
              <JsonView value={props.span.error} />
            </Show>
          </div>
        </Collapsible>
      </Show>
      <Collapsible title="Input" actions={<CopyButton value={() => asText(props.span.input ?? null)} label="Copy" />}>
        <JsonView value={props.span.input ?? null} />
      </Collapsible>
      <Collapsible title="Output" actions={<CopyButton value={() => asText(props.span.output ?? null)} label="Copy" />}>
        <JsonView value={props.span.output ?? null} />
      </Collapsible>
      <Collapsible title="Metadata" open={false}>
        <JsonView value={props.span.metadata ?? {}} />
      </Collapsible>
      <Collapsible title="Metrics" open={false}>
        {/* start and end as times in the chosen zone, not Unix floats */}
        <JsonView value={readableMetrics(props.span.metrics)} />
      </Collapsible>
    </div>
  );
}
