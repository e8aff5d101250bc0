/* jiefang: small helpers; every page works without them. */
"use strict";
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", function () {
  // The phone menu: the button opens and closes the navigation; Escape closes it and gives
  // the focus back to the button (without script the menu is always shown).
  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    var setOpen = function (open) {
      document.body.classList.toggle("menu-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    toggle.addEventListener("click", function () {
      setOpen(!document.body.classList.contains("menu-open"));
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && document.body.classList.contains("menu-open")) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // 大字: the whole interface at 125 %, remembered in a cookie for a year (read by the server
  // when it draws the next page, so that it opens already enlarged).
  var textSize = document.querySelector(".text-size");
  if (textSize) {
    textSize.addEventListener("click", function () {
      var large = document.documentElement.classList.toggle("large-text");
      textSize.setAttribute("aria-pressed", large ? "true" : "false");
      document.cookie = "jiefang_text=" + (large ? "large" : "normal") +
        "; path=/; max-age=31536000; SameSite=Lax";
    });
  }

  // A form sent back with errors: its summary (or the error message of a refused action)
  // takes the focus, so that it is read out and the links in it lead to each field.
  var summary = document.querySelector(".error-summary, .messages [role=alert]");
  if (summary) {
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: "center" });
  }

  // Live counters under texts with a limit: "123/500".
  document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
    var limit = parseInt(area.dataset.counter, 10);
    var counter = document.createElement("small");
    counter.className = "counter";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    function update() {
      counter.textContent = area.value.length + "/" + limit;
      counter.classList.toggle("full", area.value.length >= limit);
    }
    area.addEventListener("input", update);
    update();
  });

  // The report form: the completion rate and gap this amount would give, from the server.
  var amount = document.querySelector("[data-projection-url]");
  if (amount) {
    var timer = null;
    var show = function (name, value) {
      var target = document.getElementById("projection-" + name);
      if (target) target.textContent = value;
    };
    amount.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        // Nothing to project from an empty or negative amount (the form itself says why).
        if (amount.value === "" || !(Number(amount.value) >= 0)) return;
        var url = amount.dataset.projectionUrl + "&amount=" + encodeURIComponent(amount.value);
        fetch(url, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) {
            if (!data) return;
            show("ytd", data.ytd);
            show("rate", data.completion_rate);
            show("gap", data.gap);
          });
      }, 300);
    });
  }

  // Photo inputs say how many pictures are chosen.
  document.querySelectorAll("input[type=file][data-count]").forEach(function (input) {
    input.addEventListener("change", function () {
      var label = document.getElementById(input.dataset.count);
      if (label) label.textContent = input.files.length ? "(" + input.files.length + ")" : "";
    });
  });
});
