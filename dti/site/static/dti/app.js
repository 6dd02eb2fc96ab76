// Small behaviours shared by every page; no build step.
(function () {
  "use strict";
  // Irreversible steps ask first: <form data-confirm="…"> shows the question (what is still missing included).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    // … or on the button that sent it, when only one of the form's buttons is irreversible
    var question = (e.submitter && e.submitter.getAttribute("data-confirm")) ||
      (form.getAttribute && form.getAttribute("data-confirm"));
    if (question && !window.confirm(question)) e.preventDefault();
  }, true);
  // A save conflict offers "use the other person's value": put it in the field, ready to save.
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-use-name]");
    if (!button) return;
    var name = button.getAttribute("data-use-name"), value = button.getAttribute("data-use-value");
    document.querySelectorAll('[name="' + CSS.escape(name) + '"]').forEach(function (el) {
      if (el.type === "radio") el.checked = el.value === value;
      else el.value = value;
      el.dispatchEvent(new Event("change", {bubbles: true}));
    });
    var box = button.closest(".conflict");
    if (box) box.classList.add("resolved");
  });
})();
