// The desk's one script: print buttons, and charts drawn by Apache ECharts
// (embedded, never from a CDN) from the options the server wrote into each
// chart's data-option attribute. Pages work without it.
"use strict";
for (const b of document.querySelectorAll("[data-print]")) {
  b.addEventListener("click", (e) => { e.preventDefault(); window.print(); });
}
if (window.echarts) {
  const charts = [];
  for (const el of document.querySelectorAll(".chart[data-option]")) {
    const chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(JSON.parse(el.dataset.option));
    el.dataset.drawn = "1";
    charts.push(chart);
  }
  window.addEventListener("resize", () => { for (const c of charts) c.resize(); });
}
