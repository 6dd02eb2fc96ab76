// A warning before leaving a page with changes not yet saved (forms marked data-unsaved).
// Dirty means "differs from what the page loaded with": typing then undoing is not a change.
// A form the server re-rendered with kept-back input (data-dirty) is unsaved from the start.
// Submitting the form itself never warns; an htmx swap brings a fresh form (re-registered).
(function () {
  "use strict";
  var message = (document.currentScript && document.currentScript.getAttribute("data-message")) || "";
  var initial = new WeakMap();
  var submitting = false;

  function snapshot(form) {
    var parts = [];
    form.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || el.disabled || el.type === "hidden" || el.type === "submit" || el.type === "button") return;
      if (el.type === "file") parts.push(el.name + "=" + el.files.length);
      else if (el.type === "radio" || el.type === "checkbox") parts.push(el.name + "=" + el.value + ":" + el.checked);
      else parts.push(el.name + "=" + el.value);
    });
    return parts.join("\u0000");
  }

  function register(root) {
    var forms = root.matches && root.matches("form[data-unsaved]") ? [root] : [];
    forms = forms.concat([].slice.call(root.querySelectorAll ? root.querySelectorAll("form[data-unsaved]") : []));
    forms.forEach(function (form) {
      if (!initial.has(form)) initial.set(form, form.hasAttribute("data-dirty") ? null : snapshot(form));
    });
  }

  function changed(form) {
    var start = initial.get(form);
    return start === null || (start !== undefined && snapshot(form) !== start);
  }

  window.dtiUnsaved = function () {
    return [].slice.call(document.querySelectorAll("form[data-unsaved]")).some(changed);
  };

  register(document);
  document.addEventListener("htmx:load", function (e) { register(e.target); });
  // Bubble phase: after app.js's data-confirm (capture) had its say.
  document.addEventListener("submit", function (e) {
    if (!e.defaultPrevented && e.target.matches && e.target.matches("form[data-unsaved]")) submitting = true;
  });
  window.addEventListener("pageshow", function () { submitting = false; });
  window.addEventListener("beforeunload", function (e) {
    if (submitting || !window.dtiUnsaved()) return;
    e.preventDefault();
    e.returnValue = message;  // browsers show their own words; required to ask at all
    return message;
  });
})();
