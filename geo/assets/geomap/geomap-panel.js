/*
 * geo-events map application, part 3 (MIT): the side list of visible events (newest first) and the
 * text of an event: list entries, popups and area popups. Everything from the data goes in with
 * textContent; links only through GeoMap.util.link (absolute http(s), new tab, noopener). Loaded
 * after geomap.js.
 */
(function () {
  "use strict";

  var App = GeoMap.App, u = GeoMap.util, el = u.el, add = u.add, put = u.put, fmtDay = u.fmtDay, fmtInt = u.fmtInt;
  var link = u.link, PRECISION_TEXT = u.PRECISION_TEXT, LEVEL_TEXT = u.LEVEL_TEXT;
  var LIST_MAX = u.LIST_MAX, AREA_POPUP_MAX = u.AREA_POPUP_MAX;

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
    // the layer checkboxes live in the panel, where they hide nothing on the map
    var layers = this.layerControl.getContainer();
    layers.classList.add("geo-layers");
    add(box, layers);
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
    var labels = ["killed", "injured", "missing", "affected"], out = [];
    for (var k = 0; k < 4; k++) if (c[k]) out.push(fmtInt(c[k]) + " " + labels[k]);
    if (c[4]) out.push(this.s(i, "weapon") ? fmtInt(c[4]) + " " + this.s(i, "weapon") : "quantity " + fmtInt(c[4]));
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
})();
