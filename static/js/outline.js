// The staff outline editor: small enhancements on top of htmx. Every control
// also works without JavaScript, as a plain link or form; without it the
// outline is simply shown unfolded.
(function () {
  "use strict";

  // Plans with more lines than this open with their goals folded (the
  // priorities show their goals, nothing deeper), until the user folds or
  // unfolds something: from then on their own choice is remembered.
  var BIG_PLAN_LINES = 60;

  function announce(text, isError) {
    var region = document.getElementById("outline-status");
    if (!region) { return; }
    var message = document.createElement("p");
    message.className = "message " + (isError === false ? "message-success" : "message-error");
    message.textContent = text;
    region.replaceChildren(message);
  }

  function outlineRoot() { return document.getElementById("outline"); }

  // --- Folding ---------------------------------------------------------------------------

  function storageKey(root) { return "planportal:outline:" + root.getAttribute("data-version"); }

  function loadState(root) {
    try {
      var saved = window.localStorage.getItem(storageKey(root));
      return saved ? JSON.parse(saved) : null;
    } catch (error) {
      return null;  // Storage switched off or full: fold as on a first visit.
    }
  }

  function lineIdOf(toggle) { return toggle.getAttribute("aria-controls").replace(/^children-/, ""); }

  function saveState(root) {
    var collapsed = [];
    root.querySelectorAll(".node-toggle[aria-expanded=false]").forEach(function (toggle) {
      collapsed.push(lineIdOf(toggle));
    });
    try {
      window.localStorage.setItem(storageKey(root), JSON.stringify({ collapsed: collapsed }));
    } catch (error) { /* Not remembered, but the page still works. */ }
  }

  function setExpanded(toggle, expanded) {
    var list = document.getElementById(toggle.getAttribute("aria-controls"));
    toggle.setAttribute("aria-expanded", expanded ? "true" : "false");
    if (list) { list.hidden = !expanded; }
  }

  // The folding remembered for this version, or the first visit's default.
  function applyState(root) {
    var state = loadState(root);
    var toggles = root.querySelectorAll(".node-toggle");
    if (state && Array.isArray(state.collapsed)) {
      var collapsed = new Set(state.collapsed);
      toggles.forEach(function (toggle) { setExpanded(toggle, !collapsed.has(lineIdOf(toggle))); });
      return;
    }
    var big = root.querySelectorAll(".node-line").length > BIG_PLAN_LINES;
    toggles.forEach(function (toggle) {
      setExpanded(toggle, !(big && toggle.closest("li").classList.contains("node-goal")));
    });
  }

  // Unfold every level above ``element``, so that it can be seen and focused.
  function revealPath(element) {
    var list = element.closest("ol[id^='children-']");
    while (list) {
      var toggle = document.querySelector(".node-toggle[aria-controls='" + list.id + "']");
      if (toggle) { setExpanded(toggle, true); }
      list = list.parentElement.closest("ol[id^='children-']");
    }
  }

  document.addEventListener("click", function (event) {
    var root = outlineRoot();
    if (!root) { return; }
    var toggle = event.target.closest(".node-toggle");
    if (toggle && root.contains(toggle)) {
      setExpanded(toggle, toggle.getAttribute("aria-expanded") !== "true");
      saveState(root);
      return;
    }
    var all = event.target.closest("[data-outline-expand]");
    if (all) {
      var expand = all.getAttribute("data-outline-expand") === "all";
      root.querySelectorAll(".node-toggle").forEach(function (each) { setExpanded(each, expand); });
      saveState(root);
      announce(all.textContent.trim() + ".", false);
    }
  });

  // --- Going to an item: "#node-D.1.3", "#node-<key>", "#node-goal-12", or the form ------

  function findLine(root, reference) {
    if (!reference) { return null; }
    var byId = document.getElementById("node-" + reference);
    if (byId && root.contains(byId)) { return byId; }
    var wanted = reference.replace(/\.$/, "").toLowerCase();
    var lines = root.querySelectorAll(".node-line");
    for (var i = 0; i < lines.length; i++) {
      var code = (lines[i].getAttribute("data-code") || "").toLowerCase();
      if (code === wanted || lines[i].getAttribute("data-key") === wanted) { return lines[i]; }
    }
    return null;
  }

  function goTo(line) {
    revealPath(line);
    saveState(outlineRoot());
    line.focus({ preventScroll: true });
    line.scrollIntoView({ block: "center" });
  }

  function followFragment() {
    var root = outlineRoot();
    var hash = decodeURIComponent(window.location.hash.slice(1));
    if (!root || hash.indexOf("node-") !== 0) { return; }
    var line = findLine(root, hash.slice(5));
    if (line) { goTo(line); }
  }
  window.addEventListener("hashchange", followFragment);

  document.addEventListener("submit", function (event) {
    var form = event.target.closest(".outline-jump");
    var root = outlineRoot();
    if (!form || !root) { return; }
    event.preventDefault();
    var input = form.querySelector("input[name=goto]");
    var code = input.value.trim();
    if (!code) { input.focus(); return; }
    var line = findLine(root, code);
    if (!line) {
      announce(form.getAttribute("data-not-found") + " " + code);
      input.focus();
      return;
    }
    history.replaceState(null, "", "#node-" + line.getAttribute("data-code"));
    goTo(line);
  });

  // --- The menu of each row --------------------------------------------------------------

  function closeMenus(except) {
    document.querySelectorAll(".node-menu[open]").forEach(function (menu) {
      if (menu !== except) { menu.open = false; }
    });
  }

  document.addEventListener("toggle", function (event) {
    if (event.target.classList && event.target.classList.contains("node-menu") && event.target.open) {
      closeMenus(event.target);
    }
  }, true);

  document.addEventListener("click", function (event) {
    var menu = event.target.closest(".node-menu");
    if (!menu) { closeMenus(null); return; }
    // An action that opens a form in the row's slot closes the menu over it.
    if (event.target.closest(".node-menu-items a[hx-get]")) { menu.open = false; }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var menu = event.target.closest && event.target.closest(".node-menu[open]");
    if (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });

  // --- Open forms survive a new outline ------------------------------------------------
  //
  // A move, an up or down, an add or a delete answers with the whole outline
  // (every code may have changed). A form the user has open in another row,
  // with what they typed, is lifted out before the swap and put back into
  // the same row's slot afterwards; only the form that made the change
  // closes. A form whose row was deleted has nowhere to go.
  var lifted = null;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var root = outlineRoot();
    if (!root || event.detail.target !== root || !event.detail.shouldSwap) { return; }
    var origin = event.detail.requestConfig && event.detail.requestConfig.elt;
    var ownSlot = origin && origin.closest ? origin.closest(".node-slot") : null;
    lifted = [];
    root.querySelectorAll(".node-slot").forEach(function (slot) {
      if (slot === ownSlot || !slot.firstElementChild) { return; }
      var parts = Array.prototype.slice.call(slot.childNodes);
      parts.forEach(function (part) { slot.removeChild(part); });
      lifted.push({ id: slot.id, parts: parts });
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var root = outlineRoot();
    if (!root || event.detail.target !== root) { return; }
    (lifted || []).forEach(function (entry) {
      var slot = document.getElementById(entry.id);
      if (!slot) { return; }
      entry.parts.forEach(function (part) {
        // The form already had its focus when it opened; focus now belongs
        // to the item that changed.
        if (part.querySelectorAll) {
          part.querySelectorAll("[data-autofocus]").forEach(function (el) { el.removeAttribute("data-autofocus"); });
        }
        slot.appendChild(part);
      });
      revealPath(slot);
    });
    lifted = null;
    applyState(root);
    // The item that changed (or the slot of a kept form) may sit in a folded level.
    root.querySelectorAll("[data-autofocus], .node-slot:not(:empty)").forEach(revealPath);
    saveState(root);
  });

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

  document.addEventListener("DOMContentLoaded", function () {
    // A page that comes back with errors or a conflict puts focus on the summary.
    var summary = document.querySelector("main [data-autofocus]");
    if (summary && (summary.classList.contains("error-summary") || summary.classList.contains("conflict"))) {
      summary.focus();
    }
    var root = outlineRoot();
    if (!root) { return; }
    root.closest("section").classList.add("outline-enhanced");
    applyState(root);
    followFragment();
  });
})();
