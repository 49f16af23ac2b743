(function () {
  "use strict";
  var root = document.documentElement;
  var errors = [];
  window.addEventListener("error", function (event) {
    errors.push(String(event.message));
    root.setAttribute("data-errors", errors.join(" | "));
  });
  var program = document.getElementById("f-program");
  var from = document.getElementById("f-from");
  var to = document.getElementById("f-to");
  var count = document.getElementById("f-count");

  // A year or a month typed as a bound means its first (from) or last (to) day.
  function bound(text, last) {
    text = text.trim();
    if (/^-?\d{4}$/.test(text)) return text + (last ? "-12-31" : "-01-01");
    if (/^-?\d{4}-\d{2}$/.test(text)) return text + (last ? "-31" : "-01");
    return text;
  }

  function apply() {
    var wanted = program.value;
    var lo = bound(from.value, false);
    var hi = bound(to.value, true);
    var shown = 0;
    document.querySelectorAll("[data-program]").forEach(function (el) {
      var owners = el.getAttribute("data-program").split(" ");
      var keep = !wanted || owners.indexOf(wanted) >= 0;
      if (keep && el.hasAttribute("data-first")) {
        var first = el.getAttribute("data-first");
        var last = el.getAttribute("data-last");
        if (lo && last && last < lo) keep = false;
        if (hi && first && first > hi) keep = false;
      }
      el.hidden = !keep;
      if (keep && el.classList.contains("line")) shown += 1;
    });
    count.textContent = shown + (shown === 1 ? " line shown" : " lines shown");
    var state = new URLSearchParams();
    if (wanted) state.set("program", wanted);
    if (from.value.trim()) state.set("from", from.value.trim());
    if (to.value.trim()) state.set("to", to.value.trim());
    root.setAttribute("data-filter", state.toString());
    try {
      history.replaceState(null, "", state.toString() ? "#" + state.toString() : "#");
    } catch (ignored) {
      // Some browsers refuse to rewrite the address of a local file: the filter still works.
    }
  }

  document.getElementById("filters").addEventListener("submit", function (event) {
    event.preventDefault();
  });
  [program, from, to].forEach(function (input) {
    input.addEventListener("change", apply);
    input.addEventListener("input", apply);
  });
  document.getElementById("f-reset").addEventListener("click", function () {
    program.value = "";
    from.value = "";
    to.value = "";
    apply();
  });
  // A filtered view can be shared as a link: report.html#program=ilrs&from=2020&to=2021
  var asked = new URLSearchParams(location.hash.replace(/^#/, ""));
  if (asked.get("program") !== null) program.value = asked.get("program");
  if (asked.get("from") !== null) from.value = asked.get("from");
  if (asked.get("to") !== null) to.value = asked.get("to");
  program.dispatchEvent(new Event("change"));
  root.setAttribute("data-ready", "yes");
})();
