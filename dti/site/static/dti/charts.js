// Results charts (Apache ECharts, vendored by `make setup` into static/vendor/): the page's data comes from
// <script type="application/json" id="dti-charts"> (Django's json_script); every chart has its data table beside it.
(function () {
  "use strict";
  var source = document.getElementById("dti-charts");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var L = data.labels || {};
  var COLORS = {self: "#94a3b8", verified: "#1d4ed8", previous: "#f59e0b", mean: "#1d4ed8", min: "#b91c1c",
                high: "#15803d", unit: "#7c3aed"};

  // Vietnamese numbers as the server's `num` filter writes them: 1.234,5 (trailing zeros dropped).
  function num(value, decimals) {
    if (value === null || value === undefined || !isFinite(value)) return "—";
    var d = decimals === undefined ? 2 : decimals;
    var text = Math.abs(value).toFixed(d);
    if (d > 0) text = text.replace(/\.?0+$/, "");
    var parts = text.split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    text = parts.join(",");
    return value < 0 && text !== "0" ? "-" + text : text;
  }
  function percent(value) { return value === null || value === undefined ? "—" : num(value, 1) + "%"; }
  var width = 600;  // the box being drawn (set before each build): small boxes get tilted, shorter labels
  var narrow = function () { return width < 520; };
  var base = {
    animation: false,
    textStyle: {fontFamily: "inherit"},
    tooltip: {trigger: "axis", valueFormatter: function (v) { return num(v); }},
    legend: {bottom: 0, type: "scroll"},  // below the plot: the axis name keeps the top
    grid: {left: 8, right: 16, top: 36, bottom: 32, containLabel: true}
  };
  function merge(extra) {
    var out = {};
    Object.keys(base).forEach(function (k) { out[k] = base[k]; });
    Object.keys(extra).forEach(function (k) { out[k] = extra[k]; });
    return out;
  }
  function bars(name, values, color) {
    return {name: name, type: "bar", data: values, itemStyle: {color: color}, barMaxWidth: 28};
  }

  var build = {
    pillars: function (p) {
      var series = [];
      var rows = p.pillars;
      var pick = function (key) { return rows.map(function (r) { return r[key]; }); };
      if (p.with_self) series.push(bars(L.self, pick("self"), COLORS.self));
      series.push(bars(L.verified, pick("verified"), COLORS.verified));
      if (p.with_previous) series.push(bars(L.previous, pick("previous"), COLORS.previous));
      series.push({name: L.max, type: "scatter", symbol: "rect", symbolSize: [18, 3], data: pick("max"),
                   itemStyle: {color: "#111827"}});
      return merge({
        xAxis: {type: "category", data: pick("code"), axisLabel: {interval: 0}},
        yAxis: {type: "value", name: L.points, nameTextStyle: {align: "left"}, axisLabel: {formatter: function (v) { return num(v); }}},
        tooltip: {trigger: "axis", valueFormatter: function (v) { return num(v); },
                  axisPointer: {type: "shadow"}},
        series: series
      });
    },
    radar: function (p) {
      var rows = p.pillars;
      var pick = function (key) { return rows.map(function (r) { return r[key] === null ? 0 : r[key]; }); };
      var values = [{name: L.verified, value: pick("verified_share"), itemStyle: {color: COLORS.verified},
                     areaStyle: {opacity: 0.15}}];
      if (p.with_self) values.unshift({name: L.self, value: pick("self_share"), itemStyle: {color: COLORS.self}});
      if (p.with_previous) values.push({name: L.previous, value: pick("previous_share"), itemStyle: {color: COLORS.previous}});
      return {
        animation: false,
        legend: {top: 0, type: "scroll"},
        tooltip: {trigger: "item", valueFormatter: percent},
        radar: {radius: narrow() ? "55%" : "65%", center: ["50%", "56%"],
                indicator: rows.map(function (r) { return {name: r.code, max: 100}; }),
                axisName: {color: "#374151"}},
        series: [{type: "radar", data: values}]
      };
    },
    distribution: function (d) {
      return merge({
        xAxis: {type: "category", data: d.labels, name: d.axis === "percent" ? "" : L.level,
                axisLabel: {interval: 0, rotate: d.axis === "percent" && width < 760 ? 40 : 0, fontSize: 11}},
        yAxis: {type: "value", name: L.units, nameTextStyle: {align: "left"}, minInterval: 1, axisLabel: {formatter: function (v) { return num(v, 0); }}},
        tooltip: {trigger: "axis", valueFormatter: function (v) { return num(v, 0); }},
        legend: {show: false},
        grid: {left: 8, right: 16, top: 36, bottom: 8, containLabel: true},
        series: [bars(L.units, d.counts, COLORS.verified)]
      });
    },
    heatmap: function (h) {
      var short = function (name) { return narrow() && name.length > 18 ? name.slice(0, 17) + "…" : name; };
      return {
        animation: false,
        tooltip: {position: "top", formatter: function (item) {
          var c = item.data;
          return h.units[c[1]] + "<br>" + h.pillars[c[0]].code + " " + h.pillars[c[0]].name + ": " +
            num(c[3]) + " (" + percent(c[2]) + ")";
        }},
        grid: {left: 8, right: 8, top: 8, bottom: 56, containLabel: true},
        xAxis: {type: "category", data: h.pillars.map(function (c) { return c.code; }), splitArea: {show: true}},
        yAxis: {type: "category", data: h.units.map(short), inverse: true, splitArea: {show: true}},
        visualMap: {min: 0, max: 100, dimension: 2, calculable: false, orient: "horizontal", left: "center", bottom: 0,
                    itemHeight: 120, text: ["100%", "0%"], inRange: {color: ["#fee2e2", "#fde68a", "#bbf7d0", "#15803d"]}},
        series: [{type: "heatmap", data: h.cells.filter(function (c) { return c[2] !== null; }),
                  label: {show: !narrow() || h.pillars.length <= 6, fontSize: 11,
                          formatter: function (item) { return num(item.data[3], 1); }}}]
      };
    },
    trend: function (t) {
      var line = function (name, values, color, dashed) {
        return {name: name, type: "line", data: values, connectNulls: false, symbolSize: 7,
                itemStyle: {color: color}, lineStyle: {type: dashed ? "dashed" : "solid", width: dashed ? 1.5 : 2.5}};
      };
      var series = [];
      if (t.unit) series.push(line(L.unit, t.unit, COLORS.unit, false));
      series.push(line(L.mean, t.mean, COLORS.mean, !!t.unit));
      series.push(line(L.min, t.min, COLORS.min, true));
      series.push(line(L.high, t.max, COLORS.high, true));
      return merge({
        xAxis: {type: "category", data: t.years.map(String), boundaryGap: false},
        yAxis: {type: "value", name: L.share, nameTextStyle: {align: "left"}, max: 100, axisLabel: {formatter: function (v) { return num(v, 0); }}},
        tooltip: {trigger: "axis", valueFormatter: percent},
        series: series
      });
    }
  };

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var kind = el.getAttribute("data-chart");
    var payload = kind === "radar" ? data.pillars : data[kind];
    if (!payload || !build[kind]) return;
    if (kind === "heatmap") el.style.height = Math.max(160, 64 + 26 * payload.units.length) + "px";
    var chart = window.echarts.init(el, null, {renderer: "svg", locale: "EN"});
    width = el.clientWidth;
    chart.setOption(build[kind](payload));
    charts.push({chart: chart, kind: kind, payload: payload});
  });
  // Charts follow their box (a phone turned, a sidebar closed, print).
  var redraw = function () {
    charts.forEach(function (c) {
      width = c.chart.getDom().clientWidth;
      c.chart.setOption(build[c.kind](c.payload), true);
      c.chart.resize();
    });
  };
  if (window.ResizeObserver) {
    var pending = null;
    var observer = new ResizeObserver(function () {
      if (pending) window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(redraw);
    });
    charts.forEach(function (c) { observer.observe(c.chart.getDom()); });
  } else {
    window.addEventListener("resize", redraw);
  }
  // Printed pages carry the data tables open beside the charts.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.chart-data:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
    redraw();
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
    redraw();
  });
})();
