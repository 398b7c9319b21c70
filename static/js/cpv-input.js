// The CPV code box of the essential data's admin form: as the editor types digits or words,
// the admin's search view (data-cpv-url) fills the box's <datalist> with at most 20 codes,
// and the French label of the code typed is shown under the box. Without JavaScript the box
// is a plain text field that the server checks against the nomenclature.
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.id + "-cpv-list");
    var label = document.getElementById(input.id + "-cpv-label");
    var url = input.getAttribute("data-cpv-url");
    var labels = {};
    var timer = null;
    var asked = 0;
    if (!list || !label || !url || !window.fetch) return;
    input.setAttribute("list", list.id);
    input.setAttribute("aria-describedby", label.id);

    function showLabel() {
      var code = input.value.trim().split("-")[0];
      if (labels[code]) label.textContent = labels[code];
      else if (!/^\d{8}$/.test(code)) label.textContent = "";
    }

    function suggest() {
      var query = input.value.trim();
      var ticket = ++asked;
      if (query.length < 2) return;
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (ticket !== asked) return;
          list.textContent = "";
          data.results.forEach(function (item) {
            var option = document.createElement("option");
            labels[item.code] = item.label;
            option.value = item.code;
            option.label = item.code + " — " + item.label;
            option.textContent = item.code + " — " + item.label;
            list.appendChild(option);
          });
          showLabel();
        })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      showLabel();
      clearTimeout(timer);
      timer = setTimeout(suggest, 200);
    });
  }

  function attachAll() {
    document.querySelectorAll("input[data-cpv-url]").forEach(function (input) {
      if (!input.dataset.cpvReady) {
        input.dataset.cpvReady = "1";
        attach(input);
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();
})();
