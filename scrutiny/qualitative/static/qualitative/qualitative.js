/*
 * Qualitative coding: small progressive enhancements. Every page works without this script.
 *
 * 1. Selecting text in a coded source fills the "Code a selection" form with the start and end
 *    positions (characters from the start of the source). Each paragraph of text carries its
 *    own start in data-start, and its text content is exactly the source's text, so a position
 *    is data-start plus the number of characters before the selection point.
 * 2. A page with [data-poll] (suggestions being prepared) reloads its [data-poll-region] every
 *    few seconds until the work is done, announcing progress politely.
 */
(function () {
  "use strict";

  function textOffset(container, node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function enclosingText(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    return element ? element.closest(".qual-text[data-start]") : null;
  }

  function initSelection() {
    var section = document.querySelector("[data-span-form]");
    if (!section) { return; }
    var start = section.querySelector("input[name=start]");
    var end = section.querySelector("input[name=end]");
    var shown = section.querySelector("[data-span-selected]");
    if (!start || !end) { return; }

    document.addEventListener("selectionchange", function () {
      var selection = document.getSelection();
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
      var range = selection.getRangeAt(0);
      var first = enclosingText(range.startContainer);
      var last = enclosingText(range.endContainer);
      if (!first || !last) { return; }
      var from = parseInt(first.dataset.start, 10) + textOffset(first, range.startContainer, range.startOffset);
      var to = parseInt(last.dataset.start, 10) + textOffset(last, range.endContainer, range.endOffset);
      var text = selection.toString();
      // Leave out spaces at either end, as a person means the words.
      var lead = text.length - text.replace(/^\s+/, "").length;
      var trail = text.length - text.replace(/\s+$/, "").length;
      from += lead;
      to -= trail;
      if (to <= from) { return; }
      start.value = from;
      end.value = to;
      section.classList.add("is-floating");
      if (shown) {
        var words = text.trim();
        shown.textContent = "Selected: “" + (words.length > 160 ? words.slice(0, 157) + "…" : words) +
          "” (characters " + from + " to " + to + ")";
      }
    });
  }

  function initPolling() {
    var holder = document.querySelector("[data-poll]");
    if (!holder || !window.fetch || !window.DOMParser) { return; }
    var url = holder.getAttribute("data-poll");
    var rounds = 0;
    function poll() {
      rounds += 1;
      if (rounds > 200) { return; }
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html");
          var region = fresh.querySelector("[data-poll-region]");
          var current = document.querySelector("[data-poll-region]");
          if (region && current) { current.innerHTML = region.innerHTML; }
          if (fresh.querySelector("[data-poll]")) {
            window.setTimeout(poll, 3000);
          } else {
            window.location.reload();
          }
        })
        .catch(function () { window.setTimeout(poll, 6000); });
    }
    window.setTimeout(poll, 3000);
  }

  document.documentElement.classList.add("js-enabled");
  initSelection();
  initPolling();
}());
