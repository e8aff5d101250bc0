/* A background export's page (templates/projects/exports/export_job.html): asks the job how
   far it has got every two seconds and shows the download link when the workbook is ready. */
(function () {
  var box = document.querySelector("[data-status-url]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress"), label = box.querySelector(".export-label"),
      percent = box.querySelector(".export-percent"), ready = box.querySelector(".export-ready"),
      error = box.querySelector(".export-error");
  function show(state) {
    bar.value = state.progress;
    label.textContent = state.label;
    percent.textContent = state.progress + "%";
    ready.hidden = !state.download;
    error.hidden = !state.error;
    error.textContent = state.error;
    return state.status === "queued" || state.status === "running";
  }
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (state) { if (show(state)) { window.setTimeout(poll, 2000); } })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
