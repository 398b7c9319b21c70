// Suggestions as you type in the catalogue's search box (ARIA combobox with a list box).
// Without JavaScript the box stays a plain search field of the filters' form.
// Keys: Down/Up move through the suggestions, Enter opens the one selected (else submits
// the form), Escape closes the list.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) return;
  var list = document.createElement("ul");
  var status = document.createElement("p");
  var items = [];
  var active = -1;
  var timer = null;
  var asked = 0;

  list.id = input.id + "-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");
  input.parentNode.classList.add("suggest");
  input.insertAdjacentElement("afterend", list);
  list.insertAdjacentElement("afterend", status);

  function close() {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function select(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) input.setAttribute("aria-activedescendant", options[index].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function show(found) {
    items = found;
    list.textContent = "";
    found.forEach(function (item, i) {
      var option = document.createElement("li");
      var kind = document.createElement("span");
      option.id = list.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = item.label + " ";
      kind.className = "suggestions__kind";
      kind.textContent = item.kind;
      option.appendChild(kind);
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the box until the page changes
        window.location.assign(item.url);
      });
      list.appendChild(option);
    });
    status.textContent = found.length ? found.length + " suggestion" + (found.length > 1 ? "s" : "") : "";
    if (found.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      select(-1);
    } else {
      close();
    }
  }

  function ask() {
    var query = input.value.trim();
    var ticket = ++asked;
    if (query.length < 2) return show([]);
    fetch(input.dataset.suggest + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) { if (ticket === asked) show(data.suggestions || []); })
      .catch(function () { if (ticket === asked) show([]); });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      select((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && items.length && !list.hidden) {
      event.preventDefault();
      select(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      window.location.assign(items[active].url);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
})();
