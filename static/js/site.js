// What every page does: the header menus, and the focus on a form's error summary.
// Header menus: the "Menu" button under 768 px and the member's account menu.
// Both are disclosure buttons (aria-expanded / aria-controls); Escape closes and returns
// focus to the button. Without JavaScript neither button shows and every link stays visible.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  function disclosure(button, panel, options) {
    function isOpen() {
      return button.getAttribute("aria-expanded") === "true";
    }
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      options.show(panel, open);
    }
    setOpen(false);
    button.addEventListener("click", function () {
      setOpen(!isOpen());
    });
    function onEscape(event) {
      if (event.key === "Escape" && isOpen()) {
        event.stopPropagation();
        setOpen(false);
        button.focus();
      }
    }
    button.addEventListener("keydown", onEscape);
    panel.addEventListener("keydown", onEscape);
    if (options.closeOnLeave) {
      var area = options.closeOnLeave;
      area.addEventListener("focusout", function (event) {
        if (isOpen() && event.relatedTarget && !area.contains(event.relatedTarget)) {
          setOpen(false);
        }
      });
      document.addEventListener("click", function (event) {
        if (isOpen() && !area.contains(event.target)) {
          setOpen(false);
        }
      });
    }
  }

  var menuButton = document.querySelector("[data-menu-toggle]");
  var menu = menuButton && document.getElementById(menuButton.getAttribute("aria-controls"));
  if (menu) {
    disclosure(menuButton, menu, {
      show: function (panel, open) {
        panel.classList.toggle("site-menu--open", open);
      },
    });
  }

  // A form came back with errors: focus their summary (it links to each field), after the
  // browser's own autofocus, which puts the first field in error under the focus without
  // JavaScript.
  var summary = document.querySelector(".form-errors");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    window.requestAnimationFrame(function () {
      summary.focus();
    });
  }

  var accountButton = document.querySelector("[data-account-toggle]");
  var accountMenu = accountButton && document.getElementById(accountButton.getAttribute("aria-controls"));
  if (accountMenu) {
    accountButton.hidden = false;
    disclosure(accountButton, accountMenu, {
      show: function (panel, open) {
        panel.classList.toggle("member-menu--open", open);
      },
      closeOnLeave: accountButton.parentElement,
    });
  }
});
