/* The public site's high-contrast mode and text size (KRDS: data-krds-mode,
 * the five --krds-zoom-* levels), remembered in localStorage. Loaded in <head>
 * so the remembered choice applies before the page is drawn; the controls are
 * bound once the document is read. Keyboard: the controls are buttons (Enter,
 * Space); Escape closes the text-size menu and returns focus to its button. */
(function () {
  "use strict";
  var root = document.documentElement;
  var CONTRAST_KEY = "sangsaeng.contrast";
  var SIZE_KEY = "sangsaeng.textSize";
  var SIZES = { sm: "0.9", md: "1", lg: "1.1", xlg: "1.3", xxlg: "1.5" };
  var TOKENS = { sm: "--krds-zoom-small", md: "--krds-zoom-medium", lg: "--krds-zoom-large", xlg: "--krds-zoom-xlarge", xxlg: "--krds-zoom-xxlarge" };

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (error) { return null; }
  }
  function remember(key, value) {
    try { window.localStorage.setItem(key, value); } catch (error) { /* private mode */ }
  }
  function zoomOf(size) {
    var token = getComputedStyle(root).getPropertyValue(TOKENS[size] || "").trim();
    return parseFloat(token || SIZES[size] || "1");
  }
  /* KRDS zooms the body; scaling the root font size instead (every length of
   * the site is in rem) lets the text grow while the page still reflows. */
  function applySize(size) {
    if (!SIZES[size]) size = "md";
    root.dataset.textSize = size;
    root.style.fontSize = size === "md" ? "" : (62.5 * zoomOf(size)) + "%";
    return size;
  }
  function applyContrast(on) {
    if (on) root.setAttribute("data-krds-mode", "high-contrast");
    else root.removeAttribute("data-krds-mode");
  }

  applyContrast(stored(CONTRAST_KEY) === "high");
  applySize(stored(SIZE_KEY) || "md");

  function bind() {
    var toggle = document.querySelector("[data-contrast-toggle]");
    if (toggle) {
      toggle.setAttribute("aria-pressed", String(root.getAttribute("data-krds-mode") === "high-contrast"));
      toggle.addEventListener("click", function () {
        var on = toggle.getAttribute("aria-pressed") !== "true";
        applyContrast(on);
        toggle.setAttribute("aria-pressed", String(on));
        remember(CONTRAST_KEY, on ? "high" : "normal");
      });
    }
    var wrap = document.querySelector("[data-adjust=scale]");
    if (!wrap) return;
    var opener = wrap.querySelector(".drop-btn");
    var choices = wrap.querySelectorAll("[data-adjust-scale]");
    function mark(size) {
      choices.forEach(function (choice) {
        var chosen = choice.getAttribute("data-adjust-scale") === size;
        choice.setAttribute("aria-pressed", String(chosen));
        choice.classList.toggle("active", chosen);
      });
    }
    function setOpen(open) {
      wrap.classList.toggle("active", open);
      opener.setAttribute("aria-expanded", String(open));
    }
    mark(root.dataset.textSize);
    opener.addEventListener("click", function () {
      var open = opener.getAttribute("aria-expanded") !== "true";
      setOpen(open);
      if (open) wrap.querySelector("[aria-pressed=true]").focus();
    });
    choices.forEach(function (choice) {
      choice.addEventListener("click", function () {
        var size = applySize(choice.getAttribute("data-adjust-scale"));
        remember(SIZE_KEY, size);
        mark(size);
      });
    });
    wrap.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && opener.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        opener.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!wrap.contains(event.target)) setOpen(false);
    });
    wrap.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !wrap.contains(event.relatedTarget)) setOpen(false);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
