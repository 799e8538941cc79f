// Daily cache hits (exact, semantic) and misses, stacked, from the data the server embedded with json_script.
(function () {
  const el = document.getElementById("cache-chart");
  const source = document.getElementById("cache-data");
  if (!el || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const usd = (v) => "$" + Number(v).toLocaleString(undefined, { maximumFractionDigits: 4 });
  new Chart(el, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Exact hits", data: data.exact, backgroundColor: "#16a34a", stack: "lookups" },
        { label: "Semantic hits", data: data.semantic, backgroundColor: "#4f46e5", stack: "lookups" },
        { label: "Misses", data: data.misses, backgroundColor: "#d1d5db", stack: "lookups" },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: {
        tooltip: {
          callbacks: { footer: (items) => (items.length ? "Saved: " + usd(data.saved[items[0].dataIndex]) : "") },
        },
      },
    },
  });
  el.dataset.ready = "true";
})();
