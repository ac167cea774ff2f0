/*
 * geo-events map application, part 2 (MIT): the time control under the map (slider, play, step by
 * day or week, cumulative or a window of days, undated events) and the timeline of events per day
 * by type, which follows the type filter and the map view. Loaded after geomap.js.
 */
(function () {
  "use strict";

  var App = GeoMap.App, u = GeoMap.util, el = u.el, add = u.add, put = u.put, fmtDay = u.fmtDay, fmtInt = u.fmtInt;

  // ------------------------------------------------------------------ time control and timeline
  App.prototype._timePanel = function () {
    var app = this, F = this.F, box = this.timeBox;
    var bar = put(box, el("div", "geo-time-bar"));
    if (this.dmin === null) {
      add(bar, el("span", "geo-note", "No dated events: the time control is off."));
      return;
    }
    function button(text, title, fn, cls) {
      var b = el("button", cls, text);
      b.type = "button";
      b.title = title;
      b.setAttribute("aria-label", title);
      b.addEventListener("click", fn);
      return put(bar, b);
    }
    button("All", "Show everything (reset the time filter)", function () { app.stop(); app.setTime({end: app.dmax, mode: "cumulative"}); }, "geo-reset");
    button("◀", "Step back", function () { app.stop(); app.step(-1); }, "geo-back");
    this.playBtn = button("▶", "Play", function () { app.playing ? app.stop() : app.play(); }, "geo-play");
    button("▶|", "Step forward", function () { app.stop(); app.step(1); }, "geo-fwd");
    var stepSel = put(bar, el("select", "geo-stepsize"));
    stepSel.title = "Step size";
    [["1", "by day"], ["7", "by week"]].forEach(function (o) { var op = put(stepSel, el("option", null, o[1])); op.value = o[0]; });
    stepSel.addEventListener("change", function () { F.step = +stepSel.value; });
    var slider = this.slider = put(bar, el("input", "geo-slider"));
    slider.type = "range";
    slider.min = String(this.dmin);
    slider.max = String(this.dmax);
    slider.step = "1";
    slider.value = String(F.end);
    slider.title = "Date shown";
    slider.addEventListener("input", function () {  // one redraw per frame while dragging
      app.stop();
      if (app.sliderFrame) return;
      app.sliderFrame = requestAnimationFrame(function () { app.sliderFrame = null; app.setTime({end: +slider.value}); });
    });
    var mode = this.modeSel = put(bar, el("select", "geo-mode"));
    mode.title = "Cumulative: everything up to the date. Window: only the last days before it.";
    [["cumulative", "cumulative"], ["window", "window of"]].forEach(function (o) { var op = put(mode, el("option", null, o[1])); op.value = o[0]; });
    mode.addEventListener("change", function () { app.setTime({mode: mode.value}); });
    var win = this.winInput = put(bar, el("input", "geo-win"));
    win.type = "number";
    win.min = "1";
    win.value = String(F.win);
    win.title = "Window length in days";
    win.addEventListener("change", function () { app.setTime({win: Math.max(1, Math.round(+win.value) || 1), mode: "window"}); });
    add(bar, el("span", "geo-note", "days"));
    this.timeLabel = put(bar, el("span", "geo-time-label"));
    var undated = 0;
    for (var i = 0; i < this.n; i++) if (isNaN(this.D[i])) undated++;
    if (undated) {
      var lab = put(bar, el("label", "geo-undated"));
      var cb = put(lab, el("input"));
      cb.type = "checkbox";
      cb.checked = true;
      add(lab, document.createTextNode(" undated (" + fmtInt(undated) + ")"));
      cb.addEventListener("change", function () { F.undated = cb.checked; app.update(); });
    }
    var wrap = put(box, el("div", "geo-chart-wrap"));
    this.chart = put(wrap, el("canvas", "geo-chart"));
    this.chartTip = put(wrap, el("div", "geo-chart-tip"));
    this._chartEvents();
  };

  App.prototype.setTime = function (t) {
    var F = this.F;
    if (t.mode) F.mode = t.mode;
    if (t.win) F.win = t.win;
    if (t.end !== undefined && t.end !== null) F.end = Math.max(this.dmin, Math.min(this.dmax, t.end));
    if (this.slider) {
      this.slider.value = String(F.end);
      this.modeSel.value = F.mode;
      this.winInput.value = String(F.win);
    }
    this.update();
  };

  App.prototype.step = function (dir) {
    if (this.dmin === null) return false;
    var next = this.F.end + dir * this.F.step;
    if (next > this.dmax || next < this.dmin) return false;
    this.setTime({end: next});
    return true;
  };

  App.prototype.play = function () {
    if (this.dmin === null) return;
    var app = this;
    if (this.F.end >= this.dmax) this.setTime({end: this.F.mode === "window" ? this.dmin + this.F.win - 1 : this.dmin});
    // The next frame waits for the last redraw (about a second for 100,000 events), so play never queues up.
    function tick() {
      var t0 = performance.now();
      if (!app.step(1)) { app.stop(); return; }
      app.playing = setTimeout(tick, Math.max(700, 1.5 * (performance.now() - t0)));
    }
    this.playing = setTimeout(tick, 700);
    this.playBtn.textContent = "■";
    this.playBtn.title = "Pause";
  };

  App.prototype.stop = function () {
    if (!this.playing) return;
    clearTimeout(this.playing);
    this.playing = null;
    this.playBtn.textContent = "▶";
    this.playBtn.title = "Play";
  };

  App.prototype._renderTimeLabel = function () {
    if (!this.timeLabel) return;
    var F = this.F, from = F.mode === "window" ? Math.max(this.dmin, F.end - F.win + 1) : this.dmin;
    this.timeLabel.textContent = fmtDay(from) + " → " + fmtDay(F.end) + " · " + fmtInt(this.vis.length) + " events";
  };

  App.prototype._bins = function () {
    var span = this.dmax - this.dmin + 1, size = span <= 200 ? 1 : span <= 1400 ? 7 : 30;
    return {size: size, count: Math.ceil(span / size), unit: size === 1 ? "day" : size === 7 ? "week" : "30 days"};
  };

  App.prototype._chartCounts = function () {
    var bins = this._bins(), nt = this.P.types.length, counts = new Float64Array(bins.count * nt);
    var bounds = this.F.inView ? this.map.getBounds() : null;
    for (var i = 0; i < this.n; i++) {
      if (isNaN(this.D[i]) || !this.typeOk(i)) continue;
      if (bounds && !this.inView(i, bounds)) continue;
      counts[Math.floor((this.D[i] - this.dmin) / bins.size) * nt + this.T[i]] += 1;
    }
    return {bins: bins, counts: counts, nt: nt};
  };

  App.prototype._renderChart = function () {
    var cv = this.chart;
    if (!cv || this.dmin === null) return;
    var w = cv.clientWidth, h = cv.clientHeight, dpr = window.devicePixelRatio || 1;
    if (!w || !h) return;
    cv.width = Math.round(w * dpr);
    cv.height = Math.round(h * dpr);
    var ctx = cv.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    var data = this._chartCounts(), bins = data.bins, nt = data.nt, max = 0, b, t;
    for (b = 0; b < bins.count; b++) {
      var sum = 0;
      for (t = 0; t < nt; t++) sum += data.counts[b * nt + t];
      if (sum > max) max = sum;
    }
    this.chartData = data;
    this.chartMax = max;
    var left = 34, top = 6, bottom = 18, plotW = w - left - 6, plotH = h - top - bottom, bw = plotW / bins.count;
    var F = this.F, from = F.mode === "window" ? F.end - F.win + 1 : this.dmin;
    // the selected period
    var x0 = left + (Math.max(from, this.dmin) - this.dmin) / bins.size * bw;
    var x1 = left + (F.end - this.dmin + 1) / bins.size * bw;
    ctx.fillStyle = "rgba(60,110,200,0.10)";
    ctx.fillRect(x0, top, Math.max(1, x1 - x0), plotH);
    for (b = 0; b < bins.count; b++) {
      var y = top + plotH, binStart = this.dmin + b * bins.size, binEnd = binStart + bins.size - 1;
      var inside = binEnd >= from && binStart <= F.end;
      ctx.globalAlpha = inside ? 1 : 0.28;
      for (t = 0; t < nt; t++) {
        var c = data.counts[b * nt + t];
        if (!c) continue;
        var bh = c / max * plotH;
        ctx.fillStyle = this.color(t);
        ctx.fillRect(left + b * bw + (bw > 3 ? 0.5 : 0), y - bh, Math.max(0.8, bw - (bw > 3 ? 1 : 0)), bh);
        y -= bh;
      }
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = "#888";
    ctx.beginPath();
    ctx.moveTo(left, top + plotH + 0.5);
    ctx.lineTo(left + plotW, top + plotH + 0.5);
    ctx.stroke();
    ctx.fillStyle = "#444";
    ctx.font = "10px system-ui, sans-serif";
    ctx.textAlign = "right";
    ctx.fillText(fmtInt(max), left - 4, top + 8);
    ctx.fillText("0", left - 4, top + plotH);
    ctx.save();
    ctx.translate(9, top + plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "center";
    ctx.fillText("per " + bins.unit + (this.F.inView ? ", in view" : ""), 0, 0);
    ctx.restore();
    ctx.textAlign = "center";
    var ticks = Math.max(2, Math.min(8, Math.floor(plotW / 110)));
    for (var k = 0; k <= ticks; k++) {
      var d = Math.round(this.dmin + k / ticks * (this.dmax - this.dmin));
      var x = left + (d - this.dmin + 0.5) / bins.size * bw;
      ctx.fillText(fmtDay(d), Math.min(Math.max(x, left + 30), left + plotW - 30), h - 4);
    }
    this.chartGeom = {left: left, bw: bw, plotW: plotW};
  };

  App.prototype._chartBinAt = function (clientX) {
    var g = this.chartGeom;
    if (!g) return -1;
    var x = clientX - this.chart.getBoundingClientRect().left - g.left;
    return x < 0 || x > g.plotW ? -1 : Math.min(this.chartData.bins.count - 1, Math.floor(x / g.bw));
  };

  App.prototype._chartEvents = function () {
    var app = this, cv = this.chart, tip = this.chartTip, down = null;
    cv.addEventListener("mousemove", function (e) {
      var b = app._chartBinAt(e.clientX);
      if (b < 0 || !app.chartData) { tip.style.display = "none"; return; }
      var d = app.chartData, start = app.dmin + b * d.bins.size, parts = [], total = 0;
      for (var t = 0; t < d.nt; t++) {
        var c = d.counts[b * d.nt + t];
        if (c) { parts.push(app.P.types[t] + " " + c); total += c; }
      }
      var when = d.bins.size === 1 ? fmtDay(start) : fmtDay(start) + " – " + fmtDay(Math.min(app.dmax, start + d.bins.size - 1));
      tip.textContent = when + ": " + total + " events" + (parts.length ? " (" + parts.join(", ") + ")" : "");
      tip.style.display = "block";
      tip.style.left = Math.min(e.clientX - cv.getBoundingClientRect().left + 8, cv.clientWidth - 220) + "px";
    });
    cv.addEventListener("mouseleave", function () { tip.style.display = "none"; });
    cv.addEventListener("mousedown", function (e) { down = app._chartBinAt(e.clientX); });
    cv.addEventListener("mouseup", function (e) {
      var b = app._chartBinAt(e.clientX);
      if (b < 0 || down === null || down < 0) { down = null; return; }
      var size = app.chartData.bins.size, lo = Math.min(b, down), hi = Math.max(b, down);
      var end = Math.min(app.dmax, app.dmin + (hi + 1) * size - 1);
      app.stop();
      if (hi > lo) app.setTime({end: end, mode: "window", win: end - (app.dmin + lo * size) + 1});
      else app.setTime({end: end});
      down = null;
    });
  };
})();
