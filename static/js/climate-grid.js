/* Table A editor (templates/climate/staff/inventory.html): row, column and
   grand totals update as staff type. No framework. The server recomputes
   and shows the authoritative totals after saving; these are only a guide.
   A cell that is not a number is marked and counted as zero. */
(function () {
  "use strict";
  var form = document.querySelector("[data-climate-grid]");
  if (!form) return;
  var lang = document.documentElement.lang || "lt";
  var fmt = new Intl.NumberFormat(lang, { maximumFractionDigits: 1, useGrouping: true });

  function parse(text) {
    var clean = String(text).replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    if (clean === "") return 0;
    if (!/^\d+(\.\d*)?$|^\.\d+$/.test(clean)) return null;
    return Number(clean);
  }

  function recompute() {
    var rows = {}, cols = {}, total = 0;
    form.querySelectorAll("input[data-row]").forEach(function (input) {
      var value = parse(input.value);
      if (value === null) {
        input.setAttribute("aria-invalid", "true");
        value = 0;
      } else if (!input.closest("td").classList.contains("has-error")) {
        input.removeAttribute("aria-invalid");
      }
      rows[input.dataset.row] = (rows[input.dataset.row] || 0) + value;
      cols[input.dataset.col] = (cols[input.dataset.col] || 0) + value;
      total += value;
    });
    form.querySelectorAll("[data-row-total]").forEach(function (cell) {
      cell.textContent = fmt.format(rows[cell.dataset.rowTotal] || 0);
    });
    form.querySelectorAll("[data-col-total]").forEach(function (cell) {
      cell.textContent = fmt.format(cols[cell.dataset.colTotal] || 0);
    });
    var grand = form.querySelector("[data-grand-total]");
    if (grand) grand.textContent = fmt.format(total);
    var live = form.querySelector("[data-grand-total-live]");
    if (live) live.textContent = grand ? grand.textContent + " MWh" : "";
  }

  var timer = null;
  form.addEventListener("input", function (event) {
    if (!event.target.matches("input[data-row]")) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(recompute, 150);
  });
})();
