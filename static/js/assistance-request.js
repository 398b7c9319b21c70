// The request form without page reloads: choosing a subject shows its questions at once,
// "je poursuis ma demande" shows the rest of the form. Without JavaScript, the same pages
// come through plain GET requests (the subject form's button and the link).
(function () {
  "use strict";
  var subjectForm = document.getElementById("assistance-subject");
  var flow = document.getElementById("assistance-flow");
  if (!subjectForm || !flow || !window.fetch || !window.DOMParser) return;
  var pending = null;

  function load(url, focusSelector) {
    if (pending) pending.abort();
    pending = new AbortController();
    flow.setAttribute("aria-busy", "true");
    fetch(url, { signal: pending.signal, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fetched = new DOMParser().parseFromString(html, "text/html").getElementById("assistance-flow");
        flow.innerHTML = fetched ? fetched.innerHTML : "";
        flow.removeAttribute("aria-busy");
        history.replaceState(null, "", url);
        var target = flow.querySelector(focusSelector);
        if (target) target.focus();
      })
      .catch(function (error) {
        if (error.name !== "AbortError") window.location.assign(url);
      });
  }

  var select = subjectForm.querySelector("select");
  if (select) {
    select.addEventListener("change", function () {
      if (!select.value) { flow.innerHTML = ""; return; }
      var params = new URLSearchParams(new FormData(subjectForm));
      load(subjectForm.action + "?" + params.toString(), "#faq-heading");
    });
  }
  flow.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-go-on]");
    if (!link) return;
    event.preventDefault();
    load(link.href, "#demande-heading");
  });
})();
