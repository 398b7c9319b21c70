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

  function search() {
    var query = input.value.trim();
    if (query === last) return;
    last = query;
    if (query.length < 2) return;
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(url + "?q=" + encodeURIComponent(query), {headers: {"X-Requested-With": "fetch"}, signal: controller.signal})
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) { results().outerHTML = html; })
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
