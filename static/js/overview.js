// Daily spend vs the GPT-4o baseline, from the data the server embedded with json_script.
(function () {
  const el = document.getElementById("daily-chart");
  const source = document.getElementById("daily-data");
  if (!el || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const usd = (v) => "$" + Number(v).toLocaleString(undefined, { maximumFractionDigits: 4 });
  new Chart(el, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: "Actual spend", data: data.cost.map(Number), backgroundColor: "#4f46e5", borderRadius: 4 },
        { type: "line", label: "GPT-4o baseline", data: data.baseline.map(Number), borderColor: "#9ca3af",
          borderDash: [6, 4], pointRadius: 0, tension: 0.25 },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { beginAtZero: true, ticks: { callback: usd } } },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${usd(c.parsed.y)}` } } },
    },
  });
  el.dataset.ready = "true";
})();
