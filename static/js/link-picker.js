// The filter box of the editor's "implements" picker: it hides the goals and
// tasks whose code or title does not contain the text typed. Without
// JavaScript the box stays hidden and the whole list is shown.
(function () {
  "use strict";

  function fold(text) {
    return text.toLocaleLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  document.querySelectorAll("[data-link-filter]").forEach(function (box) {
    var input = box.querySelector("input");
    var options = document.getElementById(input.getAttribute("aria-controls"));
    box.hidden = false;
    input.addEventListener("input", function () {
      var needle = fold(input.value.trim());
      options.querySelectorAll("[data-link-item]").forEach(function (item) {
        var label = item.querySelector("label");
        var own = !needle || fold(label.textContent).indexOf(needle) !== -1;
        var child = Array.prototype.some.call(
          item.querySelectorAll("[data-link-item]"),
          function (inner) { return fold(inner.querySelector("label").textContent).indexOf(needle) !== -1; }
        );
        item.hidden = !(own || child);
      });
      // A ticked box is never hidden, so that no choice disappears unseen.
      options.querySelectorAll("[data-link-item] > input:checked").forEach(function (ticked) {
        var item = ticked.closest("[data-link-item]");
        while (item) {
          item.hidden = false;
          item = item.parentElement.closest("[data-link-item]");
        }
      });
    });
  });
})();
