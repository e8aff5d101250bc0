/* The import page (templates/projects/exchange/import.html). */
/* Both forms post in the background: the bar shows the upload, then how far the server has
   got reading, checking or writing the rows (polled from projects:import_progress). */
(function () {
  var progressUrl = document.body.querySelector("[data-progress-url]");
  if (!progressUrl) { return; }
  var messages = progressUrl.dataset;
  progressUrl = messages.progressUrl;
  function newToken() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-progress]"), function (form) {
    form.addEventListener("submit", function (event) {
      var file = form.querySelector("input[type=file]");
      if (!window.FormData || !window.fetch || (file && !file.files.length)) { return; }
      event.preventDefault();
      var status = form.querySelector(".import-status"), bar = status.querySelector("progress"), text = status.querySelector(".import-text");
      var token = newToken(), timer = null, data = new FormData(form);
      data.append("progress", token);
      status.hidden = false;
      form.querySelector("button").disabled = true;
      function show(message, percent) {
        text.textContent = message;
        if (percent === null || percent === undefined) { bar.removeAttribute("value"); } else { bar.value = percent; }
      }
      function poll() {
        fetch(progressUrl + "?token=" + token, {credentials: "same-origin"})
          .then(function (response) { return response.json(); })
          .then(function (state) { if (state.text) { show(state.text, state.percent); } })
          .catch(function () {});
      }
      function working() { show(form.dataset.working, null); timer = window.setInterval(poll, 500); }
      var request = new XMLHttpRequest();
      if (file) {
        request.upload.onprogress = function (e) {
          if (e.lengthComputable) { var percent = Math.round(e.loaded * 100 / e.total); show(messages.uploading + " " + percent + "%", percent); }
        };
        request.upload.onload = working;
      } else {
        working();
      }
      request.onload = function () { window.clearInterval(timer); document.open(); document.write(request.responseText); document.close(); };
      request.onerror = function () { window.clearInterval(timer); form.querySelector("button").disabled = false; show(messages.failed, 0); };
      request.open("POST", form.action || window.location.href);
      request.send(data);
    });
  });
})();
