// Small progressive enhancements; every page works without JavaScript.

// After htmx swaps in a fragment that asks for it, move focus there, so that
// keyboard and screen-reader users land where the change happened.
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail.target && event.detail.target.querySelector("[data-autofocus]");
  if (target) { target.focus(); }
});
