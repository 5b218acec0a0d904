// The run page follows its solve: it asks the API for the run every half second while queued or running,
// shows each progress line, and reloads once the run has ended (to show the KPIs, roster and findings).
(function () {
  for (const cell of document.querySelectorAll(".time[data-t]")) {
    cell.textContent = new Date(parseFloat(cell.dataset.t) * 1000).toLocaleString();
  }
  const status = document.getElementById("run-status");
  if (!status || !["queued", "running"].includes(status.textContent.trim())) return;
  const progress = document.getElementById("progress");
  const run = status.dataset.run;
  async function poll() {
    try {
      const answer = await fetch("/api/runs/" + run, { credentials: "same-origin" });
      if (answer.ok) {
        const data = await answer.json();
        status.textContent = data.status;
        status.className = "status-" + data.status;
        progress.textContent = data.progress.join("\n");
        progress.scrollTop = progress.scrollHeight;
        if (!["queued", "running"].includes(data.status)) { location.reload(); return; }
      }
    } catch (e) { /* the server restarting: try again */ }
    setTimeout(poll, 500);
  }
  setTimeout(poll, 200);
})();
