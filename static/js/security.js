// Daily shield findings by action, stacked, from the data the server embedded with json_script.
(function () {
  const el = document.getElementById("security-chart");
  const source = document.getElementById("security-data");
  if (!el || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  new Chart(el, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Blocked", data: data.blocked, backgroundColor: "#dc2626", stack: "findings" },
        { label: "Redacted", data: data.redacted, backgroundColor: "#4f46e5", stack: "findings" },
        { label: "Flagged", data: data.flagged, backgroundColor: "#f59e0b", stack: "findings" },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  el.dataset.ready = "true";
})();
