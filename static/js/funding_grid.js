/* A measure's funding grid (templates/plans/staff/funding_grid.html).
   No framework, no inline code (the CSP forbids it). The page works without
   this file: it only adds live totals, movement between cells with the
   arrow keys and Enter, pasting a block copied from a spreadsheet from the
   focused cell on, and a warning before leaving with unsaved figures. The
   server checks and saves; these totals are a guide. */
(function () {
  "use strict";
  var form = document.querySelector("[data-funding-grid]");
  if (!form) return;
  var table = form.querySelector("#funding-grid");
  var statusBox = form.querySelector("[data-grid-status]");
  var lang = document.documentElement.lang || "lt";
  var money = new Intl.NumberFormat(lang, {
    minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: true
  });
  var dirty = false;

  // The inputs as rows × columns, read from the table itself.
  function grid() {
    return Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      return Array.prototype.slice.call(row.querySelectorAll("input[type=text]"));
    });
  }

  // The same reading as plans.forms.normalise_amount: spaces out, a trailing
  // "€" or "Eur" out; with a comma and a point the last is the decimal mark;
  // a mark that appears twice separates thousands.
  function normalise(text) {
    var clean = String(text).replace(/\s/g, "").replace(/(€|eur)$/i, "");
    var comma = clean.lastIndexOf(","), point = clean.lastIndexOf(".");
    if (comma >= 0 && point >= 0) {
      var mark = comma > point ? "," : ".";
      clean = clean.split(mark === "," ? "." : ",").join("").replace(mark, ".");
    } else {
      [",", "."].forEach(function (m) {
        if (clean.split(m).length > 2) clean = clean.split(m).join("");
      });
      clean = clean.replace(",", ".");
    }
    return clean;
  }

  function parse(text) {
    var clean = normalise(text);
    if (clean === "") return 0;
    if (!/^\d+(\.\d{0,2})?$|^\.\d{1,2}$/.test(clean)) return null;
    return Number(clean);
  }

  function recompute() {
    var rows = {}, cols = {}, total = 0;
    grid().forEach(function (inputs, r) {
      inputs.forEach(function (input, c) {
        var value = parse(input.value);
        var refused = input.closest("td").classList.contains("has-error");
        if (value === null) {
          input.setAttribute("aria-invalid", "true");
          value = 0;
        } else if (!refused) {
          input.removeAttribute("aria-invalid");
        }
        rows[r] = (rows[r] || 0) + value;
        cols[c] = (cols[c] || 0) + value;
        total += value;
      });
    });
    form.querySelectorAll("[data-row-total]").forEach(function (cell) {
      cell.textContent = money.format(rows[cell.dataset.rowTotal] || 0);
    });
    form.querySelectorAll("[data-col-total]").forEach(function (cell) {
      cell.textContent = money.format(cols[cell.dataset.colTotal] || 0);
    });
    var grand = form.querySelector("[data-grand-total]");
    if (grand) grand.textContent = money.format(total);
  }

  function position(input) {
    var cells = grid();
    for (var r = 0; r < cells.length; r++) {
      var c = cells[r].indexOf(input);
      if (c >= 0) return { r: r, c: c, cells: cells };
    }
    return null;
  }

  function focusCell(cells, r, c) {
    if (r < 0 || r >= cells.length || c < 0 || c >= cells[r].length) return;
    cells[r][c].focus();
    cells[r][c].select();
  }

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches("#funding-grid input[type=text]")) return;
    var at = position(input);
    if (!at) return;
    var start = input.selectionStart, end = input.selectionEnd, length = input.value.length;
    // Left and right move within the text first, and leave the cell at its edge.
    var wholeSelected = start === 0 && end === length;
    switch (event.key) {
      case "ArrowUp": focusCell(at.cells, at.r - 1, at.c); break;
      case "ArrowDown": focusCell(at.cells, at.r + 1, at.c); break;
      case "Enter": focusCell(at.cells, at.r + (event.shiftKey ? -1 : 1), at.c); break;
      case "ArrowLeft":
        if (!(wholeSelected || (start === 0 && end === 0))) return;
        focusCell(at.cells, at.r, at.c - 1); break;
      case "ArrowRight":
        if (!(wholeSelected || (start === length && end === length))) return;
        focusCell(at.cells, at.r, at.c + 1); break;
      default: return;
    }
    // Enter in a cell moves down rather than submitting the whole grid.
    event.preventDefault();
  });

  form.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.matches("#funding-grid input[type=text]")) return;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    // One value pastes into the cell as usual; a block fills the grid.
    if (!/[\t\n\r]/.test(text)) return;
    event.preventDefault();
    var at = position(input);
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
    var filled = 0, clipped = false;
    lines.forEach(function (line, i) {
      line.split("\t").forEach(function (value, j) {
        var r = at.r + i, c = at.c + j;
        if (r < at.cells.length && c < at.cells[r].length) {
          at.cells[r][c].value = value.trim();
          filled += 1;
        } else if (value.trim() !== "") {
          clipped = true;
        }
      });
    });
    dirty = true;
    recompute();
    var message = form.dataset.pastedMessage + " " + filled + ".";
    if (clipped) message += " " + form.dataset.clippedMessage;
    if (statusBox) statusBox.textContent = message;
  });

  var timer = null;
  form.addEventListener("input", function (event) {
    if (!event.target.matches("#funding-grid input[type=text]")) return;
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(recompute, 100);
  });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = form.dataset.leaveMessage;
  });
  recompute();
})();
