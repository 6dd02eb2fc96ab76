// The entry form's helpers: keep the person's place across a save, the error summary's links,
// the table of contents' filters and "next empty field". Without JavaScript the form still
// saves (the server redirects to the indicator's anchor) and the contents' links still jump.
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.getElementById("entry-form");
  if (!form) return;
  var KEY = "dti-entry-place";
  var articles = [].slice.call(form.querySelectorAll("article.indicator"));
  var lastTouched = null;

  // --- Keep the place: post the indicator in view, restore its offset after the redirect.
  form.addEventListener("focusin", function (e) {
    var art = e.target.closest && e.target.closest("article.indicator");
    if (art) lastTouched = art;
  });
  function inView(el) {
    var r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  }
  function place() {
    if (lastTouched && inView(lastTouched)) return lastTouched;
    for (var i = 0; i < articles.length; i++) {
      if (!articles[i].hidden && articles[i].getBoundingClientRect().bottom > 40) return articles[i];
    }
    return null;
  }
  form.addEventListener("submit", function (e) {
    if (e.defaultPrevented) return;
    var art = place();
    if (!art) return;
    form.querySelector("input[name=anchor]").value = art.id;
    try {
      sessionStorage.setItem(KEY, JSON.stringify({
        path: location.pathname, anchor: art.id, offset: Math.round(art.getBoundingClientRect().top),
      }));
    } catch (err) { /* private mode: the anchor alone still brings the indicator to the top */ }
  });
  function restore() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(KEY) || "null"); sessionStorage.removeItem(KEY); } catch (err) { return; }
    if (!saved || saved.path !== location.pathname || location.hash !== "#" + saved.anchor) return;
    var el = document.getElementById(saved.anchor);
    if (!el) return;
    // Relative, so running it again after the browser's own jump to the anchor is harmless.
    var settle = function () { window.scrollBy(0, el.getBoundingClientRect().top - saved.offset); };
    settle();
    if (document.readyState !== "complete") window.addEventListener("load", function () { requestAnimationFrame(settle); });
  }

  // --- Errors: a link in the summary moves the focus to its field.
  function focusField(id) {
    var el = document.getElementById(id);
    if (!el) return false;
    var target = el.matches("[role=radiogroup]") ? (el.querySelector("input:checked") || el.querySelector("input")) : el;
    target.scrollIntoView({block: "center"});
    target.focus({preventScroll: true});
    return true;
  }
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-focus-field]");
    if (!link) return;
    var id = link.getAttribute("href").slice(1);
    if (id === "error-summary") {
      var box = document.getElementById(id);
      if (box) { e.preventDefault(); box.scrollIntoView({block: "start"}); box.focus({preventScroll: true}); }
      return;
    }
    showAll();
    if (focusField(id)) { e.preventDefault(); history.replaceState(null, "", "#" + id); }
  });
  var summary = document.querySelector("#error-summary[data-focus]");

  // --- Filters over the articles' data-filters words; headings follow their indicators.
  var bar = document.querySelector("[data-filter-bar]");
  var status = document.querySelector("[data-filter-status]");
  var shownText = (script && script.getAttribute("data-shown")) || "{n}/{m}";
  function apply(word) {
    var shown = 0, pillars = {};
    articles.forEach(function (art) {
      var show = !word || (" " + art.getAttribute("data-filters") + " ").indexOf(" " + word + " ") >= 0;
      art.hidden = !show;
      if (show) { shown++; pillars[art.getAttribute("data-pillar")] = true; }
    });
    form.querySelectorAll(".pillar").forEach(function (h) {
      var code = h.getAttribute("data-pillar");
      if (code !== null) h.hidden = word ? !pillars[code] : false;
    });
    form.querySelectorAll(".pillar:not([data-pillar])").forEach(function (h) { h.hidden = !!word; });
    var general = document.getElementById("general");
    if (general) general.hidden = !!word;
    if (bar) bar.querySelectorAll("[data-filter]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-filter") === word));
    });
    if (status) status.textContent = word ? shownText.replace("{n}", shown).replace("{m}", articles.length) : "";
  }
  function showAll() { if (bar && bar.querySelector("[data-filter][aria-pressed=true]:not([data-filter=''])")) apply(""); }
  if (bar) {
    bar.hidden = false;
    bar.addEventListener("click", function (e) {
      var b = e.target.closest("[data-filter]");
      if (b) apply(b.getAttribute("data-filter"));
    });
  }
  // A jump from the contents or the returned banner shows everything first (the target may be filtered out).
  document.querySelectorAll("[data-toc], .returned-links a").forEach(function (a) {
    a.addEventListener("click", showAll);
  });

  // --- Next empty field after the focused one (or after the top of the view), wrapping around.
  var nextButton = document.querySelector("[data-next-empty]");
  var nextStatus = document.querySelector("[data-next-status]");
  function emptyFields() {
    var found = [], groups = {};
    form.querySelectorAll("input[name^='f:'], select[name^='f:']").forEach(function (el) {
      if (el.disabled || el.closest("[hidden]")) return;
      if (el.type === "radio") {
        if (groups[el.name]) return;
        groups[el.name] = true;
        var checked = form.querySelector("input[name='" + CSS.escape(el.name) + "']:checked");
        if (!checked || checked.value === "") found.push(checked || el);
      } else if (!el.value.trim()) found.push(el);
    });
    return found;
  }
  if (nextButton) {
    nextButton.hidden = false;
    nextButton.addEventListener("click", function () {
      var fields = emptyFields();
      if (nextStatus) nextStatus.textContent = "";
      if (!fields.length) {
        if (nextStatus) nextStatus.textContent = (script && script.getAttribute("data-none-empty")) || "";
        return;
      }
      var from = lastField && document.contains(lastField) ? lastField : null;
      var next = null;
      for (var i = 0; i < fields.length && !next; i++) {
        var f = fields[i];
        if (from ? (from.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING) && f !== from
                 : f.getBoundingClientRect().top > 60) next = f;
      }
      next = next || fields[0];
      next.scrollIntoView({block: "center"});
      next.focus({preventScroll: true});
      lastField = next;
    });
  }
  var lastField = null;
  form.addEventListener("focusin", function (e) {
    if (e.target.name && e.target.name.indexOf("f:") === 0) lastField = e.target;
  });

  // The last save's outcome stops being news once the person changes something.
  var outcome = document.querySelector(".savebar-msg");
  if (outcome) form.addEventListener("input", function () { outcome.hidden = true; }, {once: true});

  restore();
  if (summary) { summary.scrollIntoView({block: "start"}); summary.focus({preventScroll: true}); }
})();
