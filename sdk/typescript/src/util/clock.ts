// performance.now() is monotonic and sub-millisecond; anchoring it at timeOrigin gives Unix seconds
// that still order correctly when the wall clock steps.
const origin = performance.timeOrigin;

/** Unix time in seconds, as a float (the span-row `metrics.start`/`end` unit). */
export function nowSeconds(): number {
  return (origin + performance.now()) / 1000;
}
