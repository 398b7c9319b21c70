// "Sécurité du mot de passe": a hint while typing; the server's validators decide.
(function () {
  "use strict";
  var input = document.querySelector("[data-password-strength]");
  if (!input) return;
  var box = document.getElementById(input.getAttribute("data-password-strength"));
  var meter = box.querySelector("meter");
  var text = box.querySelector(".password-strength__text");
  var labels = ["très faible", "faible", "moyenne", "bonne", "excellente"];
  box.hidden = false;

  function score(value) {
    if (!value) return 0;
    var points = 0;
    if (value.length >= 10) points++;
    if (value.length >= 14) points++;
    var classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter(function (re) { return re.test(value); }).length;
    if (classes >= 3) points++;
    if (classes === 4 && value.length >= 12) points++;
    if (/^(.)\1+$/.test(value) || /^\d+$/.test(value)) points = 0;
    return Math.min(points, 4);
  }

  input.addEventListener("input", function () {
    var value = score(input.value);
    meter.value = value;
    text.textContent = input.value ? labels[value] : "";
  });
  // One click on "Soumettre" is enough: the button is disabled until the page changes.
  var form = input.form;
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-submit-once")) {
      setTimeout(function () { submitter.disabled = true; }, 0);
    }
  });
  // Coming back with the browser's history must not leave the button disabled.
  window.addEventListener("pageshow", function () {
    form.querySelectorAll("[data-submit-once]").forEach(function (button) { button.disabled = false; });
  });
})();
