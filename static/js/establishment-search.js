// Establishment search as you type. Without JavaScript the same search works through the
// form's GET (results list, then a link per establishment that fills the form below).
(function () {
  "use strict";
  var form = document.querySelector(".establishment-search");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var url = form.getAttribute("data-results-url");
  var timer = null;
  var last = null;
  var controller = null;

  function results() { return form.querySelector("#establishment-results"); }

  function fill(data) {
    Object.keys(data).forEach(function (name) {
      var field = document.getElementById("id_" + name);
      if (field) { field.value = data[name] || ""; }
    });
    var first = document.getElementById("id_name");
    if (first) { first.focus(); }
    var status = results().querySelector(".establishment-results__chosen") || document.createElement("p");
    status.className = "establishment-results__chosen message message--success";
    status.textContent = "Établissement choisi : " + (data.name || "") + ". Vérifiez les champs ci-dessous.";
    results().appendChild(status);
  }

  // Nothing typed is lost: a SIRET the directory and the register do not know (or could
  // not check) goes to the fields the member now fills by hand.
  function keepTypedSiret(query) {
    var digits = query.replace(/\s/g, "");
    if (!/^\d{14}$/.test(digits) || results().querySelector("a[data-establishment]")) return;
    var siret = document.getElementById("id_siret");
    var siren = document.getElementById("id_siren");
    if (siret && !siret.value) siret.value = digits;
    if (siren && !siren.value) siren.value = digits.slice(0, 9);
  }

  function search() {
    var query = input.value.trim();
    if (query === last) return;
    last = query;
    if (query.length < 2) return;
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(url + "?q=" + encodeURIComponent(query), {headers: {"X-Requested-With": "fetch"}, signal: controller.signal})
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        // Only the live region's content changes: a replaced aria-live element is a new
        // region, and screen readers do not announce what a new region holds.
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#establishment-results");
        results().innerHTML = fresh ? fresh.innerHTML : holder.innerHTML;
        keepTypedSiret(query);
      })
      .catch(function () { /* the submit button still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    last = null;
    search();
  });
  form.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-establishment]");
    if (!link) return;
    event.preventDefault();
    fill(JSON.parse(link.getAttribute("data-establishment")));
  });
})();
