// Stacked daily bar charts: every <canvas data-chart="ID"> reads the JSON the server embedded with
// json_script under ID: {labels, series: [{label, key, color}], <key>: [numbers], footer?: {label, key}}.
(function () {
  if (typeof Chart === "undefined") return;
  const usd = (v) => "$" + Number(v).toLocaleString(undefined, { maximumFractionDigits: 4 });
  document.querySelectorAll("canvas[data-chart]").forEach((el) => {
    const source = document.getElementById(el.dataset.chart);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const footer = data.footer;
    new Chart(el, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map((s) => ({ label: s.label, data: data[s.key], backgroundColor: s.color, stack: "all" })),
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: {
          tooltip: {
            callbacks: {
              footer: (items) => (footer && items.length ? `${footer.label}: ${usd(data[footer.key][items[0].dataIndex])}` : ""),
            },
          },
        },
      },
    });
    el.dataset.ready = "true";
  });
})();
