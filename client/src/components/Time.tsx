import type { Instant } from "../api/types.ts";
import { exactTime, formatTime, toDate } from "../lib/time.ts";

/** A moment, in the zone the reader chose, with its exact ISO and UTC value on hover. */
export function Time(props: { value: Instant | undefined; class?: string }) {
  const date = () => toDate(props.value);
  return (
    <time class={props.class} datetime={date()?.toISOString()} title={exactTime(props.value)}>
      {formatTime(props.value)}
    </time>
  );
}
