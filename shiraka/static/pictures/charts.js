// Draws the charts a page describes in <script type="application/json"> blocks (Django's json_script):
// no inline handlers, numbers already written the page's way by the server. ECharts has no
// right-to-left mode, so on Arabic pages the axes are mirrored here: categories start on the right
// and values grow leftwards. The containers carry dir="ltr" so the SVG renderer lays out correctly.
(function () {
  "use strict";

  function plain(value, marks) {
    const fixed = Math.abs(value) >= 100 ? Math.round(value).toString() : String(Math.round(value * 10) / 10);
    const [whole, fraction] = fixed.split(".");
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, marks.group);
    return fraction ? grouped + marks.decimal + fraction : grouped;
  }

  function tooltipNode(spec, index) {
    // Built with textContent: names of partners and places are data, never markup.
    const box = document.createElement("div");
    box.dir = spec.rtl ? "rtl" : "ltr";
    const title = document.createElement("div");
    title.className = "fw-bold";
    title.textContent = spec.categories[index];
    box.appendChild(title);
    for (const series of spec.series) {
      const line = document.createElement("div");
      const swatch = document.createElement("span");
      swatch.className = "chart-swatch";
      swatch.style.background = series.colour;
      line.appendChild(swatch);
      line.appendChild(document.createTextNode(series.name + " : " + series.labels[index]));
      box.appendChild(line);
    }
    return box;
  }

  function options(spec) {
    const rows = spec.kind === "rows";
    const marks = spec.marks;
    const valueAxis = {
      type: "value",
      axisLabel: { formatter: (v) => plain(v, marks), hideOverlap: true },
      splitLine: { lineStyle: { color: "#e5e5e5" } },
    };
    const categoryAxis = {
      type: "category",
      data: spec.categories,
      // Long names are cut on rows; across, labels that would collide are left out (the table has them all).
      axisLabel: rows
        ? { width: 150, overflow: "truncate" }
        : spec.kind === "line"
          ? { hideOverlap: true }
          : { interval: 0, width: 90, overflow: "break", hideOverlap: true },
      axisTick: { alignWithLabel: true },
    };
    if (rows) {
      categoryAxis.inverse = true; // the first row at the top
      if (spec.rtl) { valueAxis.inverse = true; categoryAxis.position = "right"; }
    } else if (spec.rtl) {
      categoryAxis.inverse = true;
      valueAxis.position = "right";
    }
    const series = spec.series.map((s) => ({
      type: spec.kind === "line" ? "line" : "bar",
      name: s.name,
      data: s.values,
      itemStyle: { color: s.colour },
      lineStyle: { color: s.colour },
      barMaxWidth: 28,
    }));
    const edge = spec.rtl ? "right" : "left";
    return {
      animation: false,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      legend: spec.series.length > 1 ? { top: 0, [edge]: 0, data: spec.series.map((s) => s.name) } : undefined,
      grid: { top: spec.series.length > 1 ? 32 : 12, bottom: 8, left: 12, right: 12, containLabel: true },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: (items) => tooltipNode(spec, items[0].dataIndex),
      },
      xAxis: rows ? valueAxis : categoryAxis,
      yAxis: rows ? categoryAxis : valueAxis,
      series,
    };
  }

  function height(spec) {
    if (spec.kind !== "rows") return 280;
    return Math.max(180, 48 + spec.categories.length * (14 + 10 * spec.series.length));
  }

  const charts = [];
  function draw(container) {
    const data = document.getElementById(container.dataset.chart);
    if (!data || !window.echarts) return;
    const spec = JSON.parse(data.textContent);
    container.style.height = height(spec) + "px";
    const chart = window.echarts.init(container, null, { renderer: "svg" });
    chart.setOption(options(spec));
    charts.push(chart);
  }

  function resizeAll() { for (const chart of charts) chart.resize(); }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-chart]").forEach(draw);
    window.addEventListener("resize", resizeAll);
    // The printed page is narrower than the screen: redraw at the paper's width, then back.
    window.addEventListener("beforeprint", resizeAll);
    window.addEventListener("afterprint", resizeAll);
    if (window.matchMedia) window.matchMedia("print").addEventListener("change", resizeAll);
  });
})();
