import { createEffect, onCleanup, onMount } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export type ChartLine = { label: string; color: string; values: (number | null)[] };

export type ChartProps = {
  /** Bucket starts, in Unix seconds (uPlot's x scale). */
  times: number[];
  lines: ChartLine[];
  /** How the axis and the hover legend print a value. */
  format: (value: number) => string;
  height?: number;
  /** A sparkline: no axes, no legend, no cursor. */
  compact?: boolean;
  /** Dragging over a range: its bounds in milliseconds. */
  onZoom?: (fromMs: number, toMs: number) => void;
  /** A click on a bucket: its index, and the line nearest the cursor (null when none is). */
  onPick?: (index: number, line: number | null) => void;
};

/**
 * A uPlot chart of lines over buckets. Hovering shows the bucket's values in the legend; dragging
 * zooms (onZoom); clicking a bucket picks it (onPick). New data is drawn in place; a new set of
 * lines makes a new chart.
 */
export function Chart(props: ChartProps) {
  let host!: HTMLDivElement;
  let plot: uPlot | null = null;
  let shape = "";
  let focused: number | null = null;

  const data = (): uPlot.AlignedData => [props.times, ...props.lines.map((l) => l.values)] as uPlot.AlignedData;

  const build = () => {
    plot?.destroy();
    const compact = props.compact === true;
    // A canvas cannot read CSS variables: the theme's muted color, as it is now.
    const muted = getComputedStyle(host).getPropertyValue("--muted").trim() || "#667085";
    const format = (v: number | null) => (v === null || v === undefined ? "—" : props.format(v));
    const options: uPlot.Options = {
      width: Math.max(120, host.clientWidth),
      height: props.height ?? (compact ? 40 : 180),
      legend: { show: !compact, live: true },
      cursor: compact
        ? { show: false }
        : { drag: { x: true, y: false, setScale: false }, points: { size: 6 }, focus: { prox: 24 } },
      focus: { alpha: 0.4 },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: compact
        ? [{ show: false }, { show: false }]
        : [
            { stroke: muted, grid: { stroke: "rgba(128,128,128,0.12)" }, ticks: { show: false } },
            { stroke: muted, grid: { stroke: "rgba(128,128,128,0.12)" }, ticks: { show: false }, size: 64, values: (_u, ticks) => ticks.map((t) => props.format(t)) },
          ],
      series: [
        { label: "Time", value: (_u, v) => (v === null ? "—" : new Date(v * 1000).toLocaleString("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false })) },
        ...props.lines.map((line) => ({ label: line.label, stroke: line.color, width: compact ? 1.5 : 2, points: { show: false }, spanGaps: false, value: (_u: uPlot, v: number | null) => format(v) })),
      ],
      hooks: {
        // The line the cursor is near (focus), for onPick; null when the cursor is near none.
        setSeries: [
          (_u, index, opts) => {
            const { focus } = opts as { focus?: boolean };
            if (focus !== undefined) focused = focus && index ? index - 1 : null;
          },
        ],
        setSelect: [
          (u) => {
            if (u.select.width < 4 || !props.onZoom) return;
            const from = u.posToVal(u.select.left, "x") * 1000;
            const to = u.posToVal(u.select.left + u.select.width, "x") * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            props.onZoom(from, to);
          },
        ],
      },
    };
    plot = new uPlot(options, data(), host);
    if (!compact) {
      plot.over.addEventListener("click", () => {
        const index = plot?.cursor.idx;
        if (index === null || index === undefined || !props.onPick) return;
        props.onPick(index, focused);
      });
    }
    shape = props.lines.map((l) => l.label).join("\n");
  };

  onMount(() => {
    build();
    const resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(120, host.clientWidth), height: plot.height }));
    resize.observe(host);
    onCleanup(() => {
      resize.disconnect();
      plot?.destroy();
      plot = null;
    });
  });

  createEffect(() => {
    const lines = props.lines.map((l) => l.label).join("\n");
    const next = data();
    if (!plot) return;
    if (lines !== shape) build();
    else plot.setData(next);
  });

  return <div class="chart" classList={{ compact: props.compact === true }} ref={host} />;
}
