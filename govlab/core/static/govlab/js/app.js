// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // The language menu is changed with its "Change" button only: changing the language as soon as an
    // option is chosen would move a keyboard user away while they browse the options (WCAG 3.2.2).

    // A table wider than the screen scrolls inside its .table-wrap: let keyboard users reach that box to
    // scroll it (WCAG 2.1.1), named after the table's caption. Checked again when the window changes size.
    var wraps = document.querySelectorAll(".table-wrap");
    function reachScrollingTables() {
      wraps.forEach(function (wrap) {
        var scrolls = wrap.scrollWidth > wrap.clientWidth;
        if (scrolls && !wrap.hasAttribute("tabindex")) {
          var caption = wrap.querySelector("caption");
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("data-scroll-focus", "");
          if (caption && caption.textContent.trim()) {
            wrap.setAttribute("role", "group");
            wrap.setAttribute("aria-label", caption.textContent.trim());
          }
        } else if (!scrolls && wrap.hasAttribute("data-scroll-focus")) {
          ["tabindex", "data-scroll-focus", "role", "aria-label"].forEach(function (name) {
            wrap.removeAttribute(name);
          });
        }
      });
    }
    if (wraps.length) {
      reachScrollingTables();
      window.addEventListener("resize", reachScrollingTables);
    }

    // Move focus to an error summary so screen-reader users hear it first.
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
