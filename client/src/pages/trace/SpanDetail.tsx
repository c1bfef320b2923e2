import { Show } from "solid-js";
import type { Span } from "../../api/types.ts";
import { Collapsible } from "../../components/Collapsible.tsx";
import { Icon } from "../../components/Icon.tsx";
import { JsonView } from "../../components/JsonView.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { spanStatus } from "../../lib/spans.ts";
import { readableMetrics } from "../../lib/time.ts";

const present = (value: unknown) => value !== null && value !== undefined;

export function SpanDetail(props: { span: Span }) {
  return (
    <div class="span-detail" data-span-id={props.span.span_id}>
      <div class="span-detail-head">
        <Icon name={props.span.type ?? "function"} class={`span-icon type-${props.span.type ?? "function"}`} />
        <strong class="ellipsis">{props.span.name ?? props.span.span_id}</strong>
        <span class="pill">{props.span.type ?? "span"}</span>
        <StatusBadge status={spanStatus(props.span)} />
      </div>
      <Show when={present(props.span.error)}>
        <Collapsible title="Error">
          <div class="error-box">
            <JsonView value={props.span.error} />
          </div>
        </Collapsible>
      </Show>
      <Collapsible title="Input">
        <JsonView value={props.span.input ?? null} />
      </Collapsible>
      <Collapsible title="Output">
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
