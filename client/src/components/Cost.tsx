import { exactCost, formatCost } from "../lib/money.ts";

/** A cost as the list and the trace page show it, with every digit on hover. */
export function Cost(props: { usd: number | null | undefined; class?: string }) {
  return (
    <span class={props.class} classList={{ unpriced: props.usd === null || props.usd === undefined }} title={exactCost(props.usd)}>
      {formatCost(props.usd)}
    </span>
  );
}
