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
  var LEVEL_TEXT = {1: "point", 2: "near", 3: "area"};

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
    map.on("click", function () { app._unspiderfy(); });
    window.addEventListener("resize", function () { app._renderChart(); });
    window.geoMapReady = true;
    document.body.setAttribute("data-geo-ready", "1");
  }
  GeoMap.App = App;

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
      layer.setStyle({color: col, weight: 2, dashArray: "6 4", fillColor: col,
                      fillOpacity: 0.12 + 0.38 * Math.sqrt(this.areaCount[a] / max)});
      this.areaLayer.addLayer(layer);
    }
  };

  // ------------------------------------------------------------------ heat map and choropleth
  App.prototype._renderHeat = function () {
    if (!this.heatLayer || !this.map.hasLayer(this.heatLayer)) return;
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
    if (this.heatLayer) overlays["Heat map"] = this.heatLayer;
    overlays["Events per admin-1 area (choropleth)"] = this.choroLayer;
    overlays["Admin-1 outlines"] = this.admin1Layer;
    this.layerControl = L.control.layers(null, overlays, {collapsed: false, sortLayers: false}).addTo(map);
    map.on("overlayadd overlayremove", function (e) {
      if (e.layer._geoType !== undefined) {
        app.typesOn[e.layer._geoType] = e.type === "overlayadd";
        app.update();
      } else if (e.layer === app.heatLayer) {
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
      add(div, el("div", "geo-legend-h", "How events are drawn"));
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
    ctx.fillText("per " + bins.unit, 0, 0);
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

  // ------------------------------------------------------------------ side panel
  App.prototype._sidePanel = function () {
    var app = this, P = this.P, box = this.panel;
    add(box, el("h1", "geo-title", P.title));
    this.summaryBox = put(box, el("div", "geo-summary"));
    if (P.filters && P.filters.length) add(box, el("div", "geo-filters", "Filters: " + P.filters.join("; ")));
    var opts = put(box, el("label", "geo-inview"));
    var cb = put(opts, el("input"));
    cb.type = "checkbox";
    cb.checked = this.F.inView;
    add(opts, document.createTextNode(" only events in the map view"));
    cb.addEventListener("change", function () { app.F.inView = cb.checked; app._renderList(); app._renderChart(); });
    this.list = put(box, el("ol", "geo-list"));
    this.listNote = put(box, el("div", "geo-note geo-list-note"));
    this.list.addEventListener("click", function (e) {
      var li = e.target.closest ? e.target.closest("li.geo-item") : null;
      if (!li || (e.target.closest && e.target.closest(".geo-card"))) return;
      app.openFromList(+li.getAttribute("data-i"), li);
    });
  };

  App.prototype.visibleList = function () {
    var bounds = this.F.inView ? this.map.getBounds() : null, out = [];
    for (var k = 0; k < this.vis.length; k++) {
      var i = this.vis[k];
      if (!bounds || this.inView(i, bounds)) out.push(i);
    }
    var D = this.D;
    out.sort(function (a, b) {
      var da = isNaN(D[a]) ? -Infinity : D[a], db = isNaN(D[b]) ? -Infinity : D[b];
      return db - da || a - b;
    });
    return out;
  };

  App.prototype._renderList = function () {
    if (!this.list) return;
    var items = this.visibleList(), frag = document.createDocumentFragment();
    this.listed = items.length;
    for (var k = 0; k < Math.min(items.length, LIST_MAX); k++) frag.appendChild(this._listItem(items[k]));
    this.list.textContent = "";
    this.list.appendChild(frag);
    this.listNote.textContent = items.length > LIST_MAX
      ? "Showing the newest " + LIST_MAX + " of " + fmtInt(items.length) + ": zoom in or narrow the time window for the rest."
      : (items.length ? "" : "No events in view for this period and these types.");
    var areas = 0;
    for (var a in this.areaCount) areas += this.areaCount[a];
    this.summaryBox.textContent = fmtInt(this.vis.length) + " of " + fmtInt(this.n) + " events shown: " +
      fmtInt(this.visPoints) + " at places, " + fmtInt(areas) + " as areas, " + fmtInt(this.visListOnly) +
      " listed only · " + fmtInt(items.length) + " in the list";
  };

  App.prototype._listItem = function (i) {
    var li = el("li", "geo-item geo-lv" + this.LV[i]);
    li.setAttribute("data-i", String(i));
    li.setAttribute("data-event", this.v(i, "event_id"));
    var kind = this.hasPoint(i) ? (this.LV[i] === 2 ? "geo-ring" : "") : (this.LV[i] === 3 && this.AR[i] >= 0 ? "geo-sq" : "geo-listonly");
    var sw = el("span", "geo-sw " + kind);
    if (kind !== "geo-ring") sw.style.background = this.color(this.T[i]);
    else sw.style.borderColor = this.color(this.T[i]);
    var head = add(el("div", "geo-item-h"), sw, el("b", null, isNaN(this.D[i]) ? "undated" : fmtDay(this.D[i])),
                   document.createTextNode(" " + this.what(i)));
    add(li, head, el("div", "geo-item-sub", this.placeText(i) + (this.countsText(i) ? " · " + this.countsText(i) : "")));
    return li;
  };

  App.prototype.openFromList = function (i, li) {
    if (this.hasPoint(i)) {
      this.focusPoint(i);
    } else if (this.LV[i] === 3 && this.AR[i] >= 0) {
      var shape = this._areaShape(this.AR[i]), unit = this.P.areas[this.AR[i]];
      if (shape) this.map.fitBounds(shape._geoBounds, {maxZoom: 7, animate: false});
      var at = unit[3] !== null ? L.latLng(unit[3], unit[4]) : (shape ? shape._geoBounds.getCenter() : this.map.getCenter());
      this.openPopup(i, at);
    } else if (li) {  // no place to show: the card opens in the list itself
      var open = li.querySelector(".geo-card");
      if (open) { li.removeChild(open); return; }
      add(li, this.card(i));
    }
  };

  /** Zoom to a point event and open its popup on its own marker (fanning out its place if needed). */
  App.prototype.focusPoint = function (i) {
    var map = this.map, ll = L.latLng(this.LAT[i], this.LON[i]);
    map.setView(ll, Math.max(map.getZoom(), 11), {animate: false});
    this._renderPoints();
    var found = null, clusterM = null;
    this.pointLayer.eachLayer(function (m) {
      if (m._geoI === i) found = m;
      else if (m._geoCluster !== undefined && m.getLatLng().distanceTo(ll) < 5000) clusterM = clusterM || m;
    });
    if (!found && clusterM) {
      var leaves = this.index.getLeaves(clusterM._geoCluster, Infinity);
      if (leaves.some(function (f) { return f.properties.i === i; })) {
        this._spiderfy(clusterM);
        this.spiderLayer.eachLayer(function (m) { if (m._geoI === i) found = m; });
      }
    }
    this.openPopup(i, found ? found.getLatLng() : ll);
  };

  // ------------------------------------------------------------------ text of an event
  App.prototype.what = function (i) {
    var sub = this.s(i, "subtype");
    return this.P.types[this.T[i]] + (sub ? " · " + sub : "");
  };

  App.prototype.placeText = function (i) {
    var place = this.s(i, "place") || this.s(i, "location"), prec = this.s(i, "precision"), lv = this.LV[i];
    var how = PRECISION_TEXT[prec] || (prec ? prec : "");
    if (lv === 2 && prec !== "near" && prec !== "admin2") how = "near / part of: " + (how || "the place");
    if (lv === 3 && this.AR[i] >= 0) how = PRECISION_TEXT[this.P.areas[this.AR[i]][1]];
    var where = [this.s(i, "admin1_name"), this.s(i, "country")].filter(function (x) { return x && x !== place; });
    return (place || "unknown place") + (where.length ? ", " + where.join(", ") : "") + (how ? " (" + how + ")" : "");
  };

  App.prototype.countsText = function (i) {
    var c = this.v(i, "counts");
    if (!c) return "";
    var weapon = this.s(i, "weapon") || "launched/used";
    var labels = ["killed", "injured", "missing", "affected", weapon], out = [];
    for (var k = 0; k < 5; k++) if (c[k]) out.push(fmtInt(c[k]) + " " + labels[k]);
    return out.join(", ");
  };

  App.prototype.summary = function (i) {
    var d = isNaN(this.D[i]) ? "undated" : fmtDay(this.D[i]);
    return this.what(i) + " · " + (this.s(i, "place") || this.s(i, "location")) + " · " + d;
  };

  /** The popup's content: every field as text nodes, sources as validated links. */
  App.prototype.card = function (i) {
    var P = this.P, card = el("div", "geo-card");
    card.setAttribute("data-event", this.v(i, "event_id"));
    var head = put(card, el("div", "geo-card-h"));
    var sw = put(head, el("span", "geo-sw"));
    sw.style.background = this.color(this.T[i]);
    add(head, el("b", null, P.types[this.T[i]]));
    if (this.s(i, "subtype")) add(head, document.createTextNode(" · " + this.s(i, "subtype")));
    var dl = put(card, el("dl", "geo-fields"));
    function row(k, v) { if (v) add(dl, el("dt", null, k), el("dd", null, v)); }
    var dp = this.s(i, "date_precision");
    row("Date", isNaN(this.D[i]) ? "undated" : fmtDay(this.D[i]) + (dp && dp !== "day" ? " (" + dp + " precision)" : ""));
    row("Place", this.placeText(i));
    if (this.s(i, "location")) row("As reported", this.s(i, "location"));
    row("Precision", LEVEL_TEXT[this.LV[i]] + (this.LV[i] === 3 ? " — not located more precisely than this area" : ""));
    row("Counts", this.countsText(i));
    row("Actor", this.s(i, "actor"));
    row("Acted on", this.s(i, "actor2"));
    row("Target", this.s(i, "target"));
    var claim = P.claims[this.v(i, "claim")] || "reported";
    row("Claim", claim + (this.s(i, "claimed_by") ? " by " + this.s(i, "claimed_by") : ""));
    var ev = this.v(i, "evidence");
    if (ev) add(card, el("blockquote", "geo-evidence", ev));
    if (ev && P.evidenceCap !== null && P.evidenceCap !== undefined && /…$/.test(ev)) {
      add(card, el("div", "geo-note", "Passage shortened to fit this large map; the full text is in the database (event " +
                   this.v(i, "event_id") + ")."));
    }
    var srcs = this.v(i, "sources") || [], A = P.articles;
    if (srcs.length) {
      add(card, el("div", "geo-src-h", srcs.length === 1 ? "Source" : "Sources (" + srcs.length + ")"));
      var ol = put(card, el("ol", "geo-sources"));
      srcs.forEach(function (k) {
        var li = put(ol, el("li"));
        add(li, link(A.url[k], A.title[k] || A.id[k] || "article"));
        var meta = [A.outlet[k], A.published[k]].filter(Boolean).join(", ");
        if (meta) add(li, el("span", "geo-src-meta", " — " + meta));
      });
    }
    add(card, el("div", "geo-id", this.v(i, "event_id")));
    return card;
  };

  App.prototype.openPopup = function (i, latlng) {
    var content = this.card(i);
    if (this.LV[i] === 3 && this.AR[i] >= 0) {
      var unit = this.P.areas[this.AR[i]];
      content.insertBefore(el("div", "geo-area-note", "Area-level event: " + unit[2] + " (" + PRECISION_TEXT[unit[1]] + ")"),
                           content.firstChild);
    }
    this.popup = L.popup({maxWidth: 380, minWidth: 240, className: "geo-popup", autoPanPadding: [20, 20]})
      .setLatLng(latlng).setContent(content).openOn(this.map);
    return this.popup;
  };

  App.prototype.openArea = function (a, latlng) {
    var unit = this.P.areas[a], evs = this._areaEvents(a), box = el("div", "geo-card geo-area-card"), app = this;
    var D = this.D;
    evs.sort(function (x, y) { return (isNaN(D[y]) ? -Infinity : D[y]) - (isNaN(D[x]) ? -Infinity : D[x]); });
    add(box, el("div", "geo-card-h", unit[2] + " — " + fmtInt(evs.length) + " events known only at " + PRECISION_TEXT[unit[1]]));
    evs.slice(0, AREA_POPUP_MAX).forEach(function (i) {
      var det = put(box, el("details", "geo-area-ev"));
      add(det, el("summary", null, (isNaN(D[i]) ? "undated" : fmtDay(D[i])) + " " + app.what(i)));
      add(det, app.card(i));
    });
    if (evs.length > AREA_POPUP_MAX) add(box, el("div", "geo-note", (evs.length - AREA_POPUP_MAX) + " more in the side list"));
    this.popup = L.popup({maxWidth: 400, minWidth: 260, className: "geo-popup", autoPanPadding: [20, 20]})
      .setLatLng(latlng).setContent(box).openOn(this.map);
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
