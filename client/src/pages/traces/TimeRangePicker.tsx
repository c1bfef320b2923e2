import { For, Show } from "solid-js";
import { fromLocalInput, RANGE_PRESETS, toLocalInput, type RangeParams } from "./time-range.ts";

/** The list's time window: a preset ending now, or a custom from/to in the reader's local time. */
export function TimeRangePicker(props: { value: RangeParams; onChange: (next: RangeParams) => void }) {
  const pick = (range: string) => {
    if (range === "custom") {
      // Starts as the last 24 hours, written out, for the reader to move.
      const now = Date.now();
      props.onChange({ range, since: new Date(now - 86_400_000).toISOString(), until: new Date(now).toISOString() });
    } else props.onChange({ range: range || undefined, since: undefined, until: undefined });
  };
  return (
    <div class="time-range">
      <select class="input" name="range" aria-label="Time range" value={props.value.range ?? ""} onChange={(e) => pick(e.currentTarget.value)}>
        <option value="">Any time</option>
        <For each={RANGE_PRESETS}>{(preset) => <option value={preset.value} selected={props.value.range === preset.value}>{preset.label}</option>}</For>
        <option value="custom" selected={props.value.range === "custom"}>
          Custom…
        </option>
      </select>
      <Show when={props.value.range === "custom"}>
        <BoundInput name="since" label="From" {...props} />
        <BoundInput name="until" label="To" {...props} />
      </Show>
    </div>
  );
}

/** One end of a custom range, in the reader's local time; the URL keeps it as ISO 8601. */
function BoundInput(props: { name: "since" | "until"; label: string; value: RangeParams; onChange: (next: RangeParams) => void }) {
  return (
    <input
      class="input"
      type="datetime-local"
      name={props.name}
      aria-label={props.label}
      value={toLocalInput(props.value[props.name])}
      onChange={(e) => props.onChange({ ...props.value, [props.name]: fromLocalInput(e.currentTarget.value) })}
    />
  );
}
