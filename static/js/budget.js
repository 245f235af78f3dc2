// The budget page: a money table wider than its box shows its rows as cards
// ("is-stacked", budget.css) instead of scrolling sideways, so the last year
// and the total stay in sight at any width and any number of columns.
(function () {
  "use strict";

  function fit() {
    document.querySelectorAll("table.budget-table").forEach(function (table) {
      table.classList.remove("is-stacked");
      var box = table.parentElement;
      if (box && box.scrollWidth > box.clientWidth + 1) {
        table.classList.add("is-stacked");
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) {
      window.cancelAnimationFrame(pending);
    }
    pending = window.requestAnimationFrame(fit);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fit);
  } else {
    fit();
  }
})();
