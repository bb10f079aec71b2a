// Conveniences only: every page works without JavaScript.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Choosing a value in one of the filter form's menus runs the search at once.
  for (const menu of document.querySelectorAll("form.filters select")) {
    menu.addEventListener("change", () => menu.form.requestSubmit());
  }
  // A touch screen has no hover: the first tap on a highlighted mark opens its tooltip, the second
  // follows its link (without this, a tap would leave the page before the tooltip could be read).
  const touch = window.matchMedia("(hover: none) and (pointer: coarse)");
  for (const mark of document.querySelectorAll("#text a.mark")) {
    mark.addEventListener("click", (event) => {
      if (!touch.matches || mark.classList.contains("open")) {
        return;
      }
      event.preventDefault();
      for (const other of document.querySelectorAll("#text a.mark.open")) {
        other.classList.remove("open");
      }
      mark.classList.add("open");
    });
  }
});
