// A uPlot chart that follows its container's width. The canvas is hidden from screen readers; the
// `summary` text (and the table each page shows beside a chart) says the same in words.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartProps {
  title: string;
  summary: string;
  data: uPlot.AlignedData;
  series: uPlot.Series[];
  axes?: uPlot.Axis[];
  scales?: uPlot.Scales;
  height?: number;
}

export function Chart({ title, summary, data, series, axes, scales, height = 220 }: ChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the chart is rebuilt only when its shape changes
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const width = Math.max(240, element.clientWidth);
    plot.current = new uPlot({ width, height, series, axes, scales, legend: { show: true } }, data, element);
    const observer = new ResizeObserver(() => {
      plot.current?.setSize({ width: Math.max(240, element.clientWidth), height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [series.length, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure class="chart">
      <figcaption>
        <strong>{title}</strong>
        <span class="visually-hidden">: {summary}</span>
      </figcaption>
      <div ref={holder} class="chart-canvas" aria-hidden="true" />
    </figure>
  );
}
