// Live line charts (uPlot) over a sliding window of per-second rates.
import uPlot from "uplot";

export const WINDOW_S = 600; // ten minutes kept, the axis shows them all

const PALETTE = ["#2f7de1", "#2fb170", "#e8a33d", "#d9534f", "#8e6bd8", "#17a2b8",
  "#e36fb4", "#6c757d", "#a0522d", "#20c997", "#fd7e14", "#6610f2"];

export class LiveChart {
  constructor(el, { height = 220, unit = "/s" } = {}) {
    this.el = el;
    this.height = height;
    this.unit = unit;
    this.names = [];
    this.x = [];
    this.ys = [];
    this.plot = null;
    // Follow the panel's width (layout changes, hidden views shown).
    new ResizeObserver(() => this.resize()).observe(el);
  }

  // names: series labels; x: unix seconds; ys: one array per name.
  update(names, x, ys) {
    this.x = x;
    this.ys = ys;
    if (!this.plot || names.join("\u0000") !== this.names.join("\u0000")) {
      this.names = names.slice();
      this.rebuild();
    } else {
      this.plot.setData([this.x].concat(this.ys));
    }
    this.el.dataset.points = String(this.x.length);
  }

  rebuild() {
    if (this.plot) this.plot.destroy();
    const width = Math.max(300, this.el.clientWidth - 20 || 500);
    const opts = {
      width,
      height: this.height,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, (max || 0) * 1.1)] } },
      axes: [{ stroke: "#6b7685", grid: { stroke: "#eef1f5" } },
        { stroke: "#6b7685", grid: { stroke: "#eef1f5" }, size: 56,
          values: (u, v) => v.map((n) => fmtRate(n)) }],
      series: [{}].concat(this.names.map((n, i) => ({
        label: n,
        stroke: PALETTE[i % PALETTE.length],
        fill: PALETTE[i % PALETTE.length] + "14",
        width: 1.5,
        points: { show: false },
        value: (u, v) => (v == null ? "-" : fmtRate(v) + this.unit),
      }))),
    };
    this.plot = new uPlot(opts, [this.x].concat(this.ys), this.el);
  }

  resize() {
    const w = this.el.clientWidth - 20; // the padding
    if (this.plot && w > 100 && Math.abs(w - this.plot.width) > 2) this.plot.setSize({ width: w, height: this.height });
  }
}

export function fmtRate(n) {
  if (n == null) return "-";
  if (n >= 1e6) return (n / 1e6).toFixed(1) + "M";
  if (n >= 1e4) return (n / 1e3).toFixed(0) + "k";
  if (n >= 1e3) return (n / 1e3).toFixed(1) + "k";
  return n >= 10 ? n.toFixed(0) : n.toFixed(1);
}
