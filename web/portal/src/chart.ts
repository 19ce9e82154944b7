/** The charts (Apache ECharts, only the parts used, rendered to SVG: crisp on phones and in print). */
import { LineChart, BarChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface Series {
  name: string;
  points: Array<{ x: string; y: number }>;
}

const charts = new Set<echarts.ECharts>();
window.addEventListener("resize", () => charts.forEach((c) => c.resize()));

/** A line (cumulative) or bar chart of `series` in `el`, amounts in yuan. */
export function drawChart(el: HTMLElement, kind: "line" | "bar", series: Series[], label: string): void {
  const chart = echarts.init(el, undefined, { renderer: "svg" });
  charts.add(chart);
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort();
  chart.setOption({
    aria: { enabled: true, label: { description: label } },
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 70, right: 16, top: 36, bottom: 30 },
    xAxis: { type: "category", data: xs },
    yAxis: { type: "value", name: "¥" },
    series: series.map((s) => {
      const at = new Map(s.points.map((p) => [p.x, p.y]));
      let last = 0;
      return {
        name: s.name,
        type: kind,
        step: kind === "line" ? "end" : undefined,
        // A programme paid in one day is one point: it must still show.
        showSymbol: true,
        symbolSize: 7,
        data: xs.map((x) => (kind === "line" ? (last = at.get(x) ?? last) : (at.get(x) ?? 0))),
      };
    }),
  });
}
