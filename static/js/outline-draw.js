/* Drawing a zone's or a region's outline in the admin (挂图作战), with the vendored Leaflet.
   Each click on the map adds a corner; from three corners on, the ring is closed and written
   into the outline's text box as a GeoJSON Polygon. 撤销 takes the last corner back (with
   fewer than three the text box gets back what it held), 清除 empties the outline. What is
   typed or pasted into the text box is drawn too. No base layer: the outlines the account
   sees are drawn faintly to trace by. Nothing is asked of another server. */
"use strict";

(function () {
  var HOME = [35.24, 113.24]; // 焦作, when there is nothing to fit to

  function round(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  function parse(text) {
    try {
      var value = JSON.parse(text);
      if (value && value.type === "Feature") {
        value = value.geometry;
      }
      return value && (value.type === "Polygon" || value.type === "MultiPolygon") ? value : null;
    } catch (error) {
      return null;
    }
  }

  function setUp(box) {
    var textarea = document.getElementById(box.dataset.for);
    var element = box.querySelector(".outline-draw-map");
    var status = box.querySelector(".outline-draw-status");
    var contextScript = document.getElementById(box.dataset.for + "-context");
    var context = contextScript ? JSON.parse(contextScript.textContent) : null;
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.5 });
    var faint = L.geoJSON(context, {
      interactive: false,
      style: { color: "#7b8794", weight: 1, dashArray: "4 3", fill: false },
    }).addTo(map);
    var current = L.geoJSON(null, {
      interactive: false,
      style: { color: "#1f3b63", weight: 2, fillOpacity: 0.08 },
    }).addTo(map);
    var drawing = L.layerGroup().addTo(map);
    var corners = [];
    var original = textarea.value;

    function showCurrent() {
      current.clearLayers();
      var geometry = parse(textarea.value);
      if (geometry) {
        current.addData(geometry);
      }
    }

    function say() {
      status.textContent = corners.length
        ? box.dataset.status.replace("%(count)s", corners.length)
        : "";
    }

    function redraw() {
      drawing.clearLayers();
      var latlngs = corners.map(function (c) {
        return [c[1], c[0]];
      });
      if (latlngs.length >= 3) {
        L.polygon(latlngs, { color: "#b42318", weight: 2, interactive: false }).addTo(drawing);
      } else if (latlngs.length === 2) {
        L.polyline(latlngs, { color: "#b42318", weight: 2, interactive: false }).addTo(drawing);
      }
      latlngs.forEach(function (latlng) {
        L.circleMarker(latlng, {
          radius: 4,
          color: "#b42318",
          fillColor: "#fff",
          fillOpacity: 1,
          interactive: false,
        }).addTo(drawing);
      });
      if (corners.length >= 3) {
        textarea.value = JSON.stringify({
          type: "Polygon",
          coordinates: [corners.concat([corners[0]])],
        });
      } else {
        textarea.value = original;
      }
      current.clearLayers();
      if (corners.length < 3) {
        showCurrent();
      }
      say();
    }

    map.on("click", function (event) {
      var point = event.latlng;
      corners.push([round(point.lng), round(point.lat)]);
      redraw();
    });
    box.querySelector(".outline-undo").addEventListener("click", function () {
      corners.pop();
      redraw();
    });
    box.querySelector(".outline-clear").addEventListener("click", function () {
      corners = [];
      original = "";
      redraw();
    });
    textarea.addEventListener("input", function () {
      corners = [];
      original = textarea.value;
      drawing.clearLayers();
      showCurrent();
      say();
    });

    showCurrent();
    var bounds = L.latLngBounds([]);
    [current, faint].forEach(function (layer) {
      if (layer.getLayers().length) {
        bounds.extend(layer.getBounds());
      }
    });
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [16, 16], maxZoom: 15 });
    } else {
      map.setView(HOME, 11);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".outline-draw").forEach(setUp);
  });
})();
