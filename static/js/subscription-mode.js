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

// The fee estimate follows the association choice: "ne souhaite pas adhérer" shows the
// non-member fee (both are rendered by the server).
(function () {
  "use strict";
  var form = document.querySelector(".subscription-form");
  if (!form) return;
  function show() {
    var checked = form.querySelector("input[name=association_standing]:checked");
    var wanted = checked && checked.value === "neither" ? "neither" : "member";
    form.querySelectorAll("[data-fee-for]").forEach(function (variant) {
      variant.hidden = variant.getAttribute("data-fee-for") !== wanted;
    });
  }
  form.querySelectorAll("input[name=association_standing]").forEach(function (radio) {
    radio.addEventListener("change", show);
  });
  show();
})();
