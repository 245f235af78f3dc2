// The staff outline editor: small enhancements on top of htmx. Every control
// also works without JavaScript, as a plain link or form.
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("outline-status");
    if (!region) { return; }
    var message = document.createElement("p");
    message.className = "message message-error";
    message.textContent = text;
    region.replaceChildren(message);
  }

  // "Cancel" in a form opened inside the outline closes it and gives focus
  // back to the item it belonged to, instead of reloading the page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-inline-cancel]");
    var slot = link && link.closest(".node-slot");
    if (!slot) { return; }
    event.preventDefault();
    slot.replaceChildren();
    var back = document.getElementById(link.getAttribute("data-inline-cancel"));
    if (back) { back.focus(); }
  });

  // Answers that htmx does not swap (403, 404, 500, no network) would
  // otherwise fail silently.
  function failed() {
    var region = document.getElementById("outline-status");
    announce(region ? region.getAttribute("data-error-message") : "Error");
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);

  // A page that comes back with errors or a conflict puts focus on the summary.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("main [data-autofocus]");
    if (summary && (summary.classList.contains("error-summary") || summary.classList.contains("conflict"))) {
      summary.focus();
    }
  });
})();
