/*
 * geo-events map application (part of geo-events, MIT).
 *
 * Draws the payload that geo/render/mapdata.py writes: a time control (play, step by day or week,
 * cumulative or a window of days) with a timeline of events per day by type under the map; events
 * clustered with supercluster (cluster colours show the mix of types, events at one place fan out
 * on click); precision made visible (a dot for a place, a ring for "near", the shaded area of the
 * admin-1 unit or country for area-level events, the side list for events with no shape); popups
 * with the sources' titles and links; a side list of the visible events, newest first; optional
 * heat-map and per-admin-1 choropleth layers.
 *
 * This file holds the payload reader, the layers and the controls; geomap-time.js adds the time
 * control and the timeline, geomap-panel.js the side list and the popups (all inlined in order).
 *
 * Safety: every string of the data enters the page through textContent / createTextNode or a
 * validated href, never innerHTML; links must be absolute http(s) URLs and open in a new tab with
 * rel="noopener noreferrer".
 */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var LIST_MAX = 300;          // side-list entries rendered at once
  var SPIDER_MAX = 200;        // events fanned out from one cluster
  var AREA_POPUP_MAX = 40;     // events listed in an area's popup
  var CHORO_COLORS = ["#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"];
  var PRECISION_TEXT = {
    locality: "the place itself", landmark: "the place itself", near: "near the place",
    admin2: "district (admin-2) level", water: "at sea / on water", region: "region level",
    admin1: "province / region (admin-1) level", country: "country level"
  };
  var LEVEL_TEXT = {1: "at the place (geo_precision 1)", 2: "near the place or part of a region (geo_precision 2)",
                    3: "admin-1 or country level (geo_precision 3)"};

  // ------------------------------------------------------------------ small DOM helpers
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null && text !== "") e.textContent = String(text);
    return e;
  }
  function add(parent) {
    for (var k = 1; k < arguments.length; k++) if (arguments[k]) parent.appendChild(arguments[k]);
    return parent;
  }
  function put(parent, child) { parent.appendChild(child); return child; }
  function fmtDay(d) { return new Date(d * DAY_MS).toISOString().slice(0, 10); }
  function fmtInt(n) { return Number(n).toLocaleString("en-US"); }
  function safeUrl(u) {
    if (typeof u !== "string") return null;
    u = u.trim();
    if (!/^https?:\/\/[^\s]+$/i.test(u)) return null;
    try {
      var p = new URL(u);
      return (p.protocol === "http:" || p.protocol === "https:") ? p.href : null;
    } catch (e) { return null; }
  }
  function link(url, text) {
    var href = safeUrl(url);
    if (!href) return el("span", "geo-nolink", text);
    var a = el("a", null, text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  // ------------------------------------------------------------------ payload
  function readPayload(node) {
    if (!node) throw new Error("the map's data element is missing");
    if (node.getAttribute("data-encoding") === "gzip-base64") {
      var bin = atob(node.textContent.trim());
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).text().then(JSON.parse);
    }
    return JSON.parse(node.textContent);
  }

  function fail(err) {
    var box = el("div", "geo-error", "The map's data could not be read: " + (err && err.message || err));
    document.body.appendChild(box);
    console.error(err);
  }

  var GeoMap = window.GeoMap = {
    start: function (map, node, options) {
      var p;
      GeoMap.t0 = performance.now();
      if (options && options.minZoom !== undefined) map.setMinZoom(options.minZoom);
      if (options && options.maxZoom !== undefined) map.setMaxZoom(options.maxZoom);
      try { p = readPayload(node); } catch (e) { fail(e); return null; }
      if (p && typeof p.then === "function") {
        return p.then(function (P) { return new App(map, P); }).catch(fail);
      }
      return new App(map, p);
    }
  };

  // ------------------------------------------------------------------ the application
  function App(map, P) {
    var app = this, t = performance.now(), timing = this.timing = {read: t - (GeoMap.t0 || t)};
    function mark(name) { var now = performance.now(); timing[name] = now - t; t = now; }
    window.geoMap = app;
    this.map = map;
    this.P = P;
    this._decode();
    mark("decode");
    this._layout();
    this._baseLayers();
    mark("outlines");
    this._eventLayers();
    this._controls();
    this._timePanel();
    this._sidePanel();
    this._fit();
    mark("controls");
    this.update();
    mark("draw");
    map.on("moveend", function () { app._renderPoints(); app._renderList(); app._renderChart(); });
    map.on("zoomstart", function () { app._unspiderfy(); });
    map.on("zoomend", function () { app._renderAreas(); });
    map.on("click", function () { app._unspiderfy(); });
    window.addEventListener("resize", function () { app._renderChart(); });
    window.geoMapReady = true;
    document.body.setAttribute("data-geo-ready", "1");
  }
  GeoMap.App = App;
  // for geomap-time.js and geomap-panel.js, which add the time control and the side list to App
  GeoMap.util = {el: el, add: add, put: put, fmtDay: fmtDay, fmtInt: fmtInt, link: link,
                 PRECISION_TEXT: PRECISION_TEXT, LEVEL_TEXT: LEVEL_TEXT, LIST_MAX: LIST_MAX,
                 AREA_POPUP_MAX: AREA_POPUP_MAX};

  function floats(list) {
    var out = new Float64Array(list.length);
    for (var i = 0; i < list.length; i++) out[i] = list[i] === null ? NaN : list[i];
    return out;
  }

  App.prototype._decode = function () {
    var P = this.P, E = P.ev, n = E.type.length;
    this.n = n;
    this.T = Uint8Array.from(E.type);
    this.D = floats(E.day);
    this.LAT = floats(E.lat);
    this.LON = floats(E.lon);
    this.LV = Uint8Array.from(E.level);
    this.AR = Int32Array.from(E.area);
    this.byId = {};
    var dmin = Infinity, dmax = -Infinity, i;
    for (i = 0; i < n; i++) {
      var d = this.D[i];
      if (d < dmin) dmin = d;
      if (d > dmax) dmax = d;
      if (E.event_id[i]) this.byId[E.event_id[i]] = i;
    }
    this.dmin = dmin === Infinity ? null : dmin;
    this.dmax = dmax === -Infinity ? null : dmax;
    this.present = {};
    for (i = 0; i < n; i++) this.present[this.T[i]] = (this.present[this.T[i]] || 0) + 1;
    this.typesOn = {};
    for (var t in this.present) this.typesOn[t] = true;
    this.F = {end: this.dmax, mode: "cumulative", win: 7, undated: true, inView: true, step: 1};
    this.shapes = {};
    var self = this;
    (P.countries.features || []).forEach(function (f) { if (f.properties.cc) self.shapes["C:" + f.properties.cc] = f; });
    (P.admin1.features || []).forEach(function (f) { self.shapes["A:" + f.properties.admin1] = f; });
  };

  App.prototype.s = function (i, col) { return this.P.strings[this.P.ev[col][i]] || ""; };
  App.prototype.v = function (i, col) { return this.P.ev[col][i]; };
  App.prototype.color = function (t) { return this.P.colors[t] || "#7f7f7f"; };
  App.prototype.hasPoint = function (i) { return this.LV[i] < 3 && !isNaN(this.LAT[i]) && !isNaN(this.LON[i]); };

  // ------------------------------------------------------------------ page layout
  App.prototype._layout = function () {
    document.body.classList.add("geo-app");
    this.map.getContainer().classList.add("geo-mapbox");
    this.panel = put(document.body, el("aside", "geo-panel"));
    this.timeBox = put(document.body, el("section", "geo-time"));
    this.map.invalidateSize();
  };

  // ------------------------------------------------------------------ base layers
  App.prototype._baseLayers = function () {
    var map = this.map;
    this.countryLayer = L.geoJSON(this.P.countries, {
      style: function () {
        return {color: "#8a8a8a", weight: 0.7, fillColor: "#f6f3ec", fillOpacity: 1, className: "geo-country"};
      },
      onEachFeature: function (f, layer) { layer.bindTooltip(document.createTextNode(f.properties.name || ""), {sticky: true}); }
    }).addTo(map);
    this.admin1Layer = L.geoJSON(this.P.admin1, {
      style: function () {
        return {color: "#b0a89a", weight: 0.5, fill: false, dashArray: "2 3", className: "geo-admin1"};
      },
      interactive: false
    }).addTo(map);
  };

  // ------------------------------------------------------------------ event layers
  App.prototype._eventLayers = function () {
    var app = this, map = this.map;
    this.areaLayer = L.layerGroup().addTo(map);
    this.pointLayer = L.featureGroup().addTo(map);
    this.spiderLayer = L.featureGroup().addTo(map);
    this.heatLayer = L.heatLayer ? L.heatLayer([], {radius: 18, blur: 16, maxZoom: 9, minOpacity: 0.35}) : null;
    // in a group: the layer control would grey out a layer whose own maxZoom (here: heat scaling) is passed
    this.heatGroup = this.heatLayer ? L.layerGroup([this.heatLayer]) : null;
    this.choroLayer = L.geoJSON(this.P.admin1, {
      style: function (f) { return app._choroStyle(f); },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(function () {
          var c = app.choroCounts ? (app.choroCounts[f.properties.admin1] || 0) : 0;
          return document.createTextNode((f.properties.name || f.properties.admin1) + ": " + fmtInt(c) + " events");
        }, {sticky: true});
      }
    });
    this.areaShapes = {};
    this.pointLayer.on("click", function (e) {
      L.DomEvent.stopPropagation(e);
      var m = e.layer;
      if (m._geoCluster !== undefined) app._clusterClick(m);
      else app.openPopup(m._geoI, m.getLatLng());
    });
    this.spiderLayer.on("click", function (e) {
      L.DomEvent.stopPropagation(e);
      if (e.layer._geoI !== undefined) app.openPopup(e.layer._geoI, e.layer.getLatLng());
    });
    this.features = new Array(this.n);
    for (var i = 0; i < this.n; i++) {
      if (this.hasPoint(i)) {
        this.features[i] = {type: "Feature", properties: {i: i, t: this.T[i]},
                            geometry: {type: "Point", coordinates: [this.LON[i], this.LAT[i]]}};
      }
    }
  };

  App.prototype._clusterOptions = function () {
    return {
      radius: 60, maxZoom: this.map.getMaxZoom(), minZoom: 0,
      map: function (p) { var o = {}; o["t" + p.t] = 1; return o; },
      reduce: function (acc, p) { for (var k in p) if (k.charAt(0) === "t") acc[k] = (acc[k] || 0) + p[k]; }
    };
  };

  // ------------------------------------------------------------------ filtering
  App.prototype.timeOk = function (i) {
    var d = this.D[i], F = this.F;
    if (isNaN(d)) return F.undated;
    if (F.end === null) return true;
    if (d > F.end) return false;
    return !(F.mode === "window" && d < F.end - F.win + 1);
  };
  App.prototype.passes = function (i) { return this.typesOn[this.T[i]] === true && this.timeOk(i); };
  App.prototype.typeOk = function (i) { return this.typesOn[this.T[i]] === true; };

  App.prototype.inView = function (i, bounds) {
    if (this.hasPoint(i)) return bounds.contains([this.LAT[i], this.LON[i]]);
    var a = this.AR[i];
    if (this.LV[i] === 3 && a >= 0) {
      var shape = this._areaShape(a);
      return shape ? bounds.intersects(shape._geoBounds) : true;
    }
    return true;  // listed only: no place to be out of view
  };

  /** Recompute what passes the filters and redraw everything that depends on it. */
  App.prototype.update = function () {
    var vis = [], pts = [], areaCount = {}, listOnly = 0;
    for (var i = 0; i < this.n; i++) {
      if (!this.passes(i)) continue;
      vis.push(i);
      if (this.hasPoint(i)) pts.push(this.features[i]);
      else if (this.LV[i] === 3 && this.AR[i] >= 0) areaCount[this.AR[i]] = (areaCount[this.AR[i]] || 0) + 1;
      else listOnly += 1;
    }
    this.vis = vis;
    this.visPoints = pts.length;
    this.visListOnly = listOnly;
    this.areaCount = areaCount;
    var t0 = performance.now();
    this.index = new Supercluster(this._clusterOptions()).load(pts);
    this.clusterMs = performance.now() - t0;
    this._unspiderfy();
    this._renderPoints();
    this._renderAreas();
    this._renderHeat();
    this._renderChoro();
    this._renderTypeCounts();
    this._renderTimeLabel();
    this._renderList();
    this._renderChart();
  };

  // ------------------------------------------------------------------ points and clusters
  App.prototype._radius = function (i) {
    var c = this.v(i, "counts"), n = c ? (c[0] || c[4] || 0) : 0;
    return Math.round(Math.min(20, 6 + 2.5 * Math.log2(1 + n)) * 10) / 10;
  };

  App.prototype._marker = function (i, latlng, extraClass) {
    var t = this.T[i], col = this.color(t), claim = this.v(i, "claim"), near = this.LV[i] === 2;
    var dashed = claim === 1 || claim === 2;
    var opts = near
      ? {radius: this._radius(i), color: col, weight: 3, fillColor: "#ffffff", fillOpacity: 0.55}
      : {radius: this._radius(i), color: "#222", weight: dashed ? 2 : 1, fillColor: col, fillOpacity: 0.8};
    if (dashed) opts.dashArray = "4 3";
    opts.className = "geo-event geo-p" + this.LV[i] + " geo-t-" + this.P.types[t] + (extraClass ? " " + extraClass : "");
    var m = L.circleMarker(latlng, opts);
    m._geoI = i;
    var app = this;
    m.bindTooltip(function () { return document.createTextNode(app.summary(i)); }, {sticky: true});
    return m;
  };

  App.prototype._clusterIcon = function (props) {
    var total = props.point_count, parts = [], best = 0, bestT = 0, acc = 0;
    for (var t = 0; t < this.P.types.length; t++) {
      var c = props["t" + t] || 0;
      if (!c) continue;
      if (c > best) { best = c; bestT = t; }
      var from = acc / total * 100;
      acc += c;
      parts.push(this.color(t) + " " + from.toFixed(1) + "% " + (acc / total * 100).toFixed(1) + "%");
    }
    var size = Math.round(Math.min(58, 26 + 7 * Math.log10(total)));
    var div = el("div", "geo-cluster-ring");
    div.style.background = "conic-gradient(" + parts.join(", ") + ")";
    div.style.width = div.style.height = size + "px";
    var inner = put(div, el("span", "geo-cluster-count", total >= 10000 ? Math.round(total / 1000) + "k" : String(total)));
    inner.style.color = this.color(bestT);
    return L.divIcon({html: div, className: "geo-cluster geo-dom-t-" + this.P.types[bestT],
                      iconSize: [size, size]});
  };

  App.prototype._renderPoints = function () {
    if (!this.index) return;
    var map = this.map, b = map.getBounds().pad(0.2), z = Math.round(map.getZoom());
    var west = Math.max(-180, b.getWest()), east = Math.min(180, b.getEast());
    if (b.getEast() - b.getWest() >= 360) { west = -180; east = 180; }
    var items = this.index.getClusters([west, Math.max(-85, b.getSouth()), east, Math.min(85, b.getNorth())], z);
    this.pointLayer.clearLayers();
    this.drawn = {clusters: 0, clustered: 0, points: 0};
    for (var k = 0; k < items.length; k++) {
      var it = items[k], ll = [it.geometry.coordinates[1], it.geometry.coordinates[0]];
      if (it.properties.cluster) {
        var cm = L.marker(ll, {icon: this._clusterIcon(it.properties), keyboard: false,
                               title: it.properties.point_count + " events"});
        cm._geoCluster = it.properties.cluster_id;
        cm._geoCount = it.properties.point_count;
        this.pointLayer.addLayer(cm);
        this.drawn.clusters += 1;
        this.drawn.clustered += it.properties.point_count;
      } else {
        this.pointLayer.addLayer(this._marker(it.properties.i, ll));
        this.drawn.points += 1;
      }
    }
  };

  App.prototype._clusterClick = function (m) {
    var id = m._geoCluster, z = this.map.getZoom(), ez = this.index.getClusterExpansionZoom(id);
    if (ez <= this.map.getMaxZoom() && ez > z) this.map.setView(m.getLatLng(), ez);
    else this._spiderfy(m);
  };

  /** Events that stay together at the deepest zoom (one place) fan out around their cluster. */
  App.prototype._spiderfy = function (m) {
    this._unspiderfy();
    var map = this.map, leaves = this.index.getLeaves(m._geoCluster, SPIDER_MAX);
    var c = map.latLngToLayerPoint(m.getLatLng()), n = leaves.length, pos = [], k, angle, legLength;
    if (n < 9) {
      legLength = 25 * (2 + n) / (2 * Math.PI);
      for (k = 0; k < n; k++) {
        angle = Math.PI / 6 + k * 2 * Math.PI / n;
        pos.push(L.point(c.x + legLength * Math.cos(angle), c.y + legLength * Math.sin(angle)));
      }
    } else {
      legLength = 11; angle = 0;
      for (k = 0; k < n; k++) {
        angle += 28 / legLength + k * 0.0005;
        pos.push(L.point(c.x + legLength * Math.cos(angle), c.y + legLength * Math.sin(angle)));
        legLength += 2 * Math.PI * 5 / angle;
      }
    }
    m.setOpacity(0.25);
    this.spidered = m;
    for (k = 0; k < n; k++) {
      var ll = map.layerPointToLatLng(pos[k]), i = leaves[k].properties.i;
      this.spiderLayer.addLayer(L.polyline([m.getLatLng(), ll], {color: "#333", weight: 1.2, opacity: 0.6,
                                                                 interactive: false, className: "geo-leg"}));
      this.spiderLayer.addLayer(this._marker(i, ll, "geo-spider"));
    }
  };

  App.prototype._unspiderfy = function () {
    if (this.spidered) { this.spidered.setOpacity(1); this.spidered = null; }
    if (this.spiderLayer) this.spiderLayer.clearLayers();
  };

  // ------------------------------------------------------------------ areas (admin-1 / country level)
  App.prototype._areaShape = function (a) {
    if (this.areaShapes[a] !== undefined) return this.areaShapes[a];
    var unit = this.P.areas[a], f = this.shapes[unit[0]], app = this;
    if (!f) { this.areaShapes[a] = null; return null; }
    var layer = L.geoJSON(f, {style: {className: "geo-area geo-area-" + unit[1]}});
    layer._geoArea = a;
    layer._geoBounds = layer.getBounds();
    layer.on("click", function (e) { L.DomEvent.stopPropagation(e); app.openArea(a, e.latlng); });
    layer.bindTooltip(function () {
      return document.createTextNode(unit[2] + " (" + PRECISION_TEXT[unit[1]] + "): " +
                                     fmtInt(app.areaCount[a] || 0) + " events, not located more precisely");
    }, {sticky: true});
    this.areaShapes[a] = layer;
    return layer;
  };

  App.prototype._areaEvents = function (a) {
    var out = [];
    for (var k = 0; k < this.vis.length; k++) if (this.AR[this.vis[k]] === a && this.LV[this.vis[k]] === 3) out.push(this.vis[k]);
    return out;
  };

  App.prototype._renderAreas = function () {
    this.areaLayer.clearLayers();
    var max = 0, a;
    for (a in this.areaCount) max = Math.max(max, this.areaCount[a]);
    for (a in this.areaCount) {
      var layer = this._areaShape(+a);
      if (!layer) continue;
      var evs = this._areaEvents(+a), counts = {}, best = -1, bestT = 0;
      evs.forEach(function (i) { counts[this.T[i]] = (counts[this.T[i]] || 0) + 1; }, this);
      for (var t in counts) if (counts[t] > best) { best = counts[t]; bestT = +t; }
      var col = this.color(bestT);
      // zoomed in far enough to be inside an area, a strong fill would hide everything else
      var depth = this.map.getZoom() >= 7 ? 0.35 : 1;
      layer.setStyle({color: col, weight: 2, dashArray: "6 4", fillColor: col,
                      fillOpacity: depth * (0.12 + 0.38 * Math.sqrt(this.areaCount[a] / max))});
      this.areaLayer.addLayer(layer);
    }
  };

  // ------------------------------------------------------------------ heat map and choropleth
  App.prototype._renderHeat = function () {
    if (!this.heatLayer || !this.map.hasLayer(this.heatGroup)) return;
    var pts = [];
    for (var k = 0; k < this.vis.length; k++) {
      var i = this.vis[k];
      if (this.hasPoint(i)) pts.push([this.LAT[i], this.LON[i], 1]);
    }
    this.heatLayer.setLatLngs(pts);
  };

  App.prototype._renderChoro = function () {
    var counts = {}, max = 0;
    for (var k = 0; k < this.vis.length; k++) {
      var code = this.s(this.vis[k], "admin1");
      if (code) { counts[code] = (counts[code] || 0) + 1; if (counts[code] > max) max = counts[code]; }
    }
    this.choroCounts = counts;
    this.choroBreaks = breaks(max, CHORO_COLORS.length - 1);
    if (this.map.hasLayer(this.choroLayer)) this.choroLayer.setStyle(this._choroStyle.bind(this));
    this._renderChoroLegend();
  };

  function breaks(max, classes) {
    // Upper bounds of classes 1..classes on a 1-2-5 scale, so the legend reads as round numbers.
    var nice = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 1e9];
    var out = [], target = Math.pow(Math.max(max, 1), 1 / classes);
    for (var k = 1; k <= classes; k++) {
      var want = Math.pow(target, k), pick = nice.find(function (v) { return v >= want; });
      if (!out.length || pick > out[out.length - 1]) out.push(pick);
    }
    return out;
  }

  App.prototype._choroStyle = function (f) {
    var c = this.choroCounts ? (this.choroCounts[f.properties.admin1] || 0) : 0, cls = 0;
    if (c > 0) { cls = 1; while (cls < this.choroBreaks.length && c > this.choroBreaks[cls - 1]) cls++; }
    return {color: "#7a6a5a", weight: 0.6, fillColor: CHORO_COLORS[cls], fillOpacity: c ? 0.75 : 0.15,
            className: "geo-choro"};
  };

  App.prototype._renderChoroLegend = function () {
    if (!this.choroLegend) return;
    var box = this.choroLegend;
    box.textContent = "";
    box.style.display = this.map.hasLayer(this.choroLayer) ? "" : "none";
    add(box, el("div", "geo-legend-h", "Events per admin-1 area"));
    var lo = 1;
    for (var k = 0; k < this.choroBreaks.length; k++) {
      var hi = this.choroBreaks[k], row = el("div", "geo-legend-row");
      var sw = put(row, el("span", "geo-sw geo-sq"));
      sw.style.background = CHORO_COLORS[k + 1];
      add(row, document.createTextNode(lo === hi ? String(lo) : lo + "–" + hi));
      add(box, row);
      lo = hi + 1;
    }
    add(box, el("div", "geo-note", "counts events with a known admin-1 area (country-level ones are not)"));
  };

  // ------------------------------------------------------------------ controls: layers and legend
  App.prototype._controls = function () {
    var app = this, map = this.map, overlays = {};
    this.typeLayers = {};
    for (var t = 0; t < this.P.types.length; t++) {
      if (!this.present[t]) continue;
      var g = L.layerGroup().addTo(map);
      g._geoType = t;
      this.typeLayers[t] = g;
      var name = this.P.types[t].replace(/[^a-z_-]/gi, "");
      overlays['<span class="geo-sw" style="background:' + this.color(t).replace(/[^#0-9a-f]/gi, "") +
               '"></span>' + name + ' <span class="geo-tc" data-type="' + t + '"></span>'] = g;
    }
    overlays['<span class="geo-sw geo-sq geo-area-key"></span>Admin-1 / country-level events (areas)'] = this.areaLayer;
    if (this.heatGroup) overlays["Heat map"] = this.heatGroup;
    overlays["Events per admin-1 area (choropleth)"] = this.choroLayer;
    overlays["Admin-1 outlines"] = this.admin1Layer;
    this.layerControl = L.control.layers(null, overlays, {collapsed: false, sortLayers: false}).addTo(map);
    map.on("overlayadd overlayremove", function (e) {
      if (e.layer._geoType !== undefined) {
        app.typesOn[e.layer._geoType] = e.type === "overlayadd";
        app.update();
      } else if (e.layer === app.heatGroup) {
        app._renderHeat();
      } else if (e.layer === app.choroLayer) {
        app._renderChoro();
      }
    });
    this._legend();
  };

  App.prototype._renderTypeCounts = function () {
    var counts = {};
    for (var k = 0; k < this.vis.length; k++) counts[this.T[this.vis[k]]] = (counts[this.T[this.vis[k]]] || 0) + 1;
    var spans = document.querySelectorAll(".geo-tc");
    for (var s = 0; s < spans.length; s++) {
      var t = +spans[s].getAttribute("data-type");
      spans[s].textContent = "(" + fmtInt(this.typesOn[t] ? (counts[t] || 0) : this.present[t]) + ")";
    }
  };

  App.prototype._legend = function () {
    var app = this, P = this.P, ctl = L.control({position: "bottomright"});
    ctl.onAdd = function () {
      var div = el("div", "geo-legend");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      var head = put(div, el("div", "geo-legend-h", "How events are drawn ▾"));
      head.title = "Click to fold or unfold the legend";
      head.addEventListener("click", function () { div.classList.toggle("geo-folded"); });
      var keys = [["geo-sw", "a place (dot; size: fatalities, else quantity)"],
                  ["geo-sw geo-ring", "near a place, or in a district (ring)"],
                  ["geo-sw geo-sq geo-area-key", "known only at admin-1 or country level (shaded area)"],
                  ["geo-sw geo-dash", "dashed outline: claimed or disputed"],
                  ["geo-sw geo-clu", "cluster: count, ring shows the mix of types"]];
      keys.forEach(function (k) { var row = add(el("div", "geo-legend-row"), el("span", k[0])); add(div, add(row, document.createTextNode(k[1]))); });
      if (P.notDrawn) add(div, el("div", "geo-note", fmtInt(P.notDrawn) + " planned/cancelled not drawn"));
      var listOnly = 0;
      for (var i = 0; i < app.n; i++) if (!app.hasPoint(i) && !(app.LV[i] === 3 && app.AR[i] >= 0)) listOnly++;
      if (listOnly) add(div, el("div", "geo-note", fmtInt(listOnly) + " with no point or shape: in the side list only"));
      if (!app.n) add(div, el("div", "geo-note geo-empty", "no events to draw"));
      add(div, el("div", "geo-note", "Boundaries: Natural Earth (public domain)"));
      app.choroLegend = put(div, el("div", "geo-choro-legend"));
      app.choroLegend.style.display = "none";
      return div;
    };
    ctl.addTo(this.map);
  };

  // ------------------------------------------------------------------ initial view and test hooks
  App.prototype._fit = function () {
    var b = L.latLngBounds([]);
    for (var i = 0; i < this.n; i++) {
      if (this.hasPoint(i)) b.extend([this.LAT[i], this.LON[i]]);
      else if (this.LV[i] === 3 && this.AR[i] >= 0) {
        var s = this._areaShape(this.AR[i]);
        if (s) b.extend(s._geoBounds);
      }
    }
    if (b.isValid()) this.map.fitBounds(b, {padding: [30, 30], maxZoom: 9, animate: false});
  };

  /** Figures a test (or a curious reader in the console) can check against the page. */
  App.prototype.state = function () {
    var areas = 0;
    for (var a in this.areaCount) areas += this.areaCount[a];
    return {total: this.n, visible: this.vis.length, points: this.visPoints, areas: areas,
            listOnly: this.visListOnly, listed: this.listed, drawn: this.drawn, end: this.F.end === null ? null : fmtDay(this.F.end),
            mode: this.F.mode, win: this.F.win, spidered: this.spiderLayer.getLayers().length / 2, timing: this.timing, clusterMs: this.clusterMs,
            types: Object.keys(this.typesOn).filter(function (t) { return this.typesOn[t]; }, this)
              .map(function (t) { return this.P.types[t]; }, this)};
  };

  App.prototype.openEvent = function (eventId) {
    var i = this.byId[eventId];
    if (i === undefined) return false;
    this.openFromList(i, this.list.querySelector('li[data-i="' + i + '"]'));
    return true;
  };

  App.prototype.dayOf = function (iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY_MS); };
})();
