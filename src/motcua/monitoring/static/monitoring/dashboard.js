/* Charts of the monitoring dashboard. Data comes from the page (json_script); no inline script (CSP). */
(function () {
  "use strict";
  var source = document.getElementById("mn-chart-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var labels = document.getElementById("mn-labels").dataset;
  var navy = "#1d4f8f", sky = "#7fa7d9", gold = "#e0a800", green = "#17612e";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;

  /* The bars take the colours of the legend under the chart (dashboard.css), so the two cannot differ.
     A group with no score yet shows the points of its indicators that have data, in the second colour. */
  function swatch(key) {
    var sample = document.querySelector(".mn-key-" + key);
    return sample ? getComputedStyle(sample).backgroundColor : "";
  }
  var groups = document.getElementById("chart-groups");
  if (groups) {
    var bar = { skipNull: true };
    new Chart(groups, {
      type: "bar",
      data: {
        labels: data.groups.map(function (g) { return g.name; }),
        datasets: [
          Object.assign({ label: labels.points, backgroundColor: swatch("score"),
            data: data.groups.map(function (g) { return g.score; }) }, bar),
          Object.assign({ label: labels.partial, backgroundColor: swatch("partial"),
            data: data.groups.map(function (g) { return g.score === null ? g.partial : null; }) }, bar),
          Object.assign({ label: labels.max, backgroundColor: swatch("max"),
            data: data.groups.map(function (g) { return g.max; }) }, bar)
        ]
      },
      options: {
        indexAxis: "y",
        scales: { x: { beginAtZero: true, suggestedMax: 22 }, y: { stacked: false } },
        plugins: { legend: { display: false } }
      }
    });
  }

  var months = document.getElementById("chart-months");
  if (months) {
    new Chart(months, {
      data: {
        labels: data.months.map(function (m) { return m.label; }),
        datasets: [
          { type: "bar", label: labels.online, data: data.months.map(function (m) { return m.online; }), backgroundColor: navy, stack: "r", yAxisID: "y" },
          { type: "bar", label: labels.counter, data: data.months.map(function (m) { return m.counter; }), backgroundColor: sky, stack: "r", yAxisID: "y" },
          { type: "bar", label: labels.post, data: data.months.map(function (m) { return m.post; }), backgroundColor: gold, stack: "r", yAxisID: "y" },
          { type: "line", label: labels.ontime, yAxisID: "pct", borderColor: green, backgroundColor: green, tension: 0.2,
            data: data.months.map(function (m) { return m.resolved ? Math.round(1000 * m.on_time / m.resolved) / 10 : null; }) }
        ]
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          y: { stacked: true, beginAtZero: true, position: "left" },
          pct: { min: 0, max: 100, position: "right", grid: { drawOnChartArea: false }, ticks: { callback: function (v) { return v + "%"; } } },
          x: { stacked: true }
        },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
})();
