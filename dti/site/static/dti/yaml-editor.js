// The framework editor: line numbers beside the textarea (problem lines marked), and "Dòng N" links
// that select that line.  Plain script, no build step; without it the page still works.
(function () {
  var box = document.querySelector(".yaml-editor");
  if (!box) return;
  var area = box.querySelector("textarea"), gutter = box.querySelector(".gutter");
  var bad = {};
  (box.getAttribute("data-problem-lines") || "").split(",").forEach(function (n) { if (n) bad[n] = true; });
  var shown = -1;
  function numbers() {
    var count = area.value.split("\n").length;
    if (count === shown) return;
    shown = count;
    var out = [];
    for (var i = 1; i <= count; i++) out.push(bad[i] ? '<span class="bad">' + i + "</span>" : "<span>" + i + "</span>");
    gutter.innerHTML = out.join("\n");
  }
  area.addEventListener("input", numbers);
  area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });
  numbers();
  document.querySelectorAll("[data-line]").forEach(function (link) {
    link.addEventListener("click", function (e) {
      e.preventDefault();
      var line = parseInt(link.getAttribute("data-line"), 10), lines = area.value.split("\n"), start = 0;
      for (var i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
      area.focus();
      area.setSelectionRange(start, start + (lines[line - 1] || "").length);
      var height = parseFloat(getComputedStyle(area).lineHeight) || 18;
      area.scrollTop = Math.max(0, (line - 5) * height);
      gutter.scrollTop = area.scrollTop;
    });
  });
})();
