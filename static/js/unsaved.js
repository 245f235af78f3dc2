// Ask before leaving a page whose forms hold what was typed but not saved.
//
// A form counts when a field differs from what the page came with, or when
// the server marks it data-unsaved-pending (a form sent back with errors, or
// with one more row, holds typed input that is not saved yet). Forms that
// fetch (method get) or only carry buttons never count; a form being sent
// does not count, since sending it is what saves it. Forms opened in the
// outline are found when the user leaves, so a form saved or cancelled in
// place no longer counts.
(function () {
  "use strict";

  function differs(field) {
    if (field.disabled || field.type === "hidden" || field.type === "submit" || field.type === "button") {
      return false;
    }
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (option) {
        return option.selected !== option.defaultSelected;
      });
    }
    return field.value !== field.defaultValue;
  }

  function unsaved(form) {
    if (form.hasAttribute("data-submitting")) { return false; }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return false; }
    if (form.hasAttribute("data-unsaved-pending")) { return true; }
    return Array.prototype.some.call(form.elements, differs);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // htmx sends its forms without leaving the page: they may be sent again.
    if (form.hasAttribute("hx-post")) { return; }
    form.setAttribute("data-submitting", "");
  });

  window.addEventListener("pageshow", function (event) {
    // Back from the next page (the browser's page cache): the form is here again.
    if (event.persisted) {
      document.querySelectorAll("form[data-submitting]").forEach(function (form) {
        form.removeAttribute("data-submitting");
      });
    }
  });

  window.addEventListener("beforeunload", function (event) {
    var forms = document.querySelectorAll("main form");
    if (!Array.prototype.some.call(forms, unsaved)) { return; }
    // Browsers show their own wording; both calls are needed across browsers.
    event.preventDefault();
    event.returnValue = "";
  });
})();
