// A convenience only: every page works without JavaScript. Choosing a value in one of the
// filter form's menus runs the search at once instead of waiting for the button.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const menu of document.querySelectorAll("form.filters select")) {
    menu.addEventListener("change", () => menu.form.requestSubmit());
  }
});
