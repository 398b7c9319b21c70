// "Préparer sa souscription": the mode radio shows its own fields at once. Without
// JavaScript the "Afficher les champs de ce mode" button posts the mode and the page
// comes back with them (the server reads the mode either way).
(function () {
  "use strict";
  var form = document.querySelector(".subscription-form");
  if (!form) return;
  var radios = form.querySelectorAll("input[name=mode]");
  var apply = form.querySelector(".subscription-mode__apply");
  if (apply) apply.hidden = true;

  function show() {
    var checked = form.querySelector("input[name=mode]:checked");
    if (!checked) return;
    form.querySelectorAll(".mode-panel").forEach(function (panel) {
      panel.hidden = panel.getAttribute("data-mode") !== checked.value;
    });
  }

  radios.forEach(function (radio) { radio.addEventListener("change", show); });
  show();
})();
