/* 挂图作战: the project map and a project's place, drawn with the vendored Leaflet.
   Nothing is asked of another server: outlines on a plain background unless the settings
   name a local PMTiles file (served here) or an intranet tile server. Data comes from JSON
   script tags and the GeoJSON URL. */
"use strict";

(function () {
  // One shape per light, as in templates/projects/register/light_symbol.html.
  var SHAPES = {
    green: '<circle cx="14" cy="14" r="11" fill="#1b7a36" stroke="#0b3b18" stroke-width="2"/>',
    yellow: '<path d="M14 2 L27 25 H1 Z" fill="#f0b400" stroke="#5c3b00" stroke-width="2"/>',
    red:
      '<rect x="3" y="3" width="22" height="22" fill="#c4281c" stroke="#5a0f09" stroke-width="2"/>' +
      '<rect x="12" y="7" width="4" height="14" fill="#fff"/>',
    none: '<circle cx="14" cy="14" r="10" fill="#fff" stroke="#434e5b" stroke-width="4"/>',
  };
  var HOME = [35.24, 113.24]; // 焦作, when nothing is placed yet

  function config(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function icon(light) {
    // A 44 px target around a 28 px symbol: tappable on a phone.
    return L.divIcon({
      className: "pin pin-" + light,
      html:
        '<svg viewBox="0 0 28 28" width="28" height="28" aria-hidden="true" focusable="false">' +
        (SHAPES[light] || SHAPES.none) +
        "</svg>",
      iconSize: [44, 44],
      iconAnchor: [22, 22],
      popupAnchor: [0, -16],
    });
  }

  function baseMap(element, settings) {
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.5 });
    if (settings.pmtiles && window.pmtiles) {
      // A local PMTiles file served by this app, read by byte ranges (vendor/pmtiles).
      pmtiles
        .leafletRasterLayer(new pmtiles.PMTiles(settings.pmtiles), { maxZoom: 18 })
        .on("tileloadstart", function (event) {
          // Decoration, as Leaflet's own tiles are: no alternative text to read out.
          event.tile.alt = "";
          event.tile.setAttribute("role", "presentation");
        })
        .addTo(map);
    } else if (settings.tiles) {
      L.tileLayer(settings.tiles, { maxZoom: 18 }).addTo(map);
    }
    if (settings.attribution) {
      L.control
        .attribution({ prefix: false, position: "bottomleft" })
        .addAttribution(settings.attribution)
        .addTo(map);
    }
    return map;
  }

  function drawOutlines(map, outlines, redLabel) {
    // The names of zones and regions lie under the pins (the tooltip pane is above them).
    map.createPane("outlineLabels").classList.add("outline-labels");
    return L.geoJSON(outlines, {
      interactive: false,
      style: function (feature) {
        var p = feature.properties;
        var region = p.kind === "region";
        // A region is shaded by its share of red projects (the count is in its label).
        var share = region && p.projects ? p.red / p.projects : 0;
        return {
          color: region ? "#1f3b63" : "#5b6b7d",
          weight: region ? 3 : 2,
          dashArray: region ? null : "6 4",
          fillColor: share ? "#c4281c" : region ? "#dfe7f1" : "#eef2f6",
          fillOpacity: share ? 0.08 + 0.4 * share : region ? 0.35 : 0.5,
        };
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        var label = p.name;
        if (redLabel && p.projects) {
          label += " · " + redLabel.replace("%(red)s", p.red).replace("%(projects)s", p.projects);
        }
        layer.bindTooltip(label, {
          pane: "outlineLabels",
          permanent: true,
          direction: "center",
          className: "outline-label outline-" + feature.properties.kind,
        });
      },
    }).addTo(map);
  }

  function figure(value, suffix) {
    return value === null || value === undefined ? "—" : value.toFixed(1) + (suffix || "");
  }

  function popup(properties, labels, lights, period) {
    // Built as nodes, never as HTML: a project's name is text.
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("strong");
    title.textContent = properties.code + " " + properties.name;
    box.appendChild(title);
    var light = document.createElement("p");
    light.className = "light light-" + properties.light;
    light.textContent = lights[properties.light];
    box.appendChild(light);
    var list = document.createElement("dl");
    [
      [labels.zone, properties.zone],
      [labels.plan, figure(properties.annual_plan)],
      [labels.ytd, figure(properties.ytd)],
      [labels.rate, figure(properties.rate)],
      [labels.gap, figure(properties.gap)],
    ].forEach(function (row) {
      var term = document.createElement("dt");
      term.textContent = row[0];
      var value = document.createElement("dd");
      value.textContent = row[1];
      list.appendChild(term);
      list.appendChild(value);
    });
    box.appendChild(list);
    var link = document.createElement("a");
    link.href = properties.url + "?" + period;
    link.textContent = labels.open;
    box.appendChild(link);
    return box;
  }

  function fit(map, layers, fallback) {
    var bounds = L.latLngBounds([]);
    layers.forEach(function (layer) {
      if (layer && layer.getLayers().length) {
        bounds.extend(layer.getBounds());
      }
    });
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15, animate: false });
    } else {
      map.setView(fallback || HOME, 11);
    }
  }

  function clusterIcon(p) {
    // A numbered disc (the count in words, readable in black and white); a red ring when
    // some of its projects are seriously behind.
    var digits = String(p.count).length;
    var size = Math.max(44, 20 + 9 * digits);
    return L.divIcon({
      className: "cluster" + (p.red ? " cluster-red" : ""),
      html: "<span>" + p.count + "</span>",
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2],
    });
  }

  function clusterMarker(map, feature, latlng, label) {
    var p = feature.properties;
    var words = label
      .replace("%(zone)s", p.zone || p.region || "")
      .replace("%(count)s", p.count)
      .replace("%(red)s", p.red);
    var marker = L.marker(latlng, { icon: clusterIcon(p), title: words, alt: words, riseOnHover: true });
    marker.on("click", function () {
      // Zoom to the cluster's projects (one more step at least, so that it splits).
      var b = p.bounds;
      var bounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
      // (A cluster on one spot has no size: its zoom is infinite, as is the map's most
      // without a base layer; 18 is a street's.)
      var zoom = Math.max(map.getBoundsZoom(bounds.pad(0.1)), map.getZoom() + 1);
      var most = isFinite(map.getMaxZoom()) ? map.getMaxZoom() : 18;
      map.setView(bounds.getCenter(), Math.min(zoom, most));
    });
    return marker;
  }

  function viewport(map) {
    // The map's area as west,south,east,north, within the world's degrees.
    var b = map.getBounds();
    var clamp = function (value, low, high) {
      return Math.min(Math.max(value, low), high).toFixed(6);
    };
    return [
      clamp(b.getWest(), -180, 180),
      clamp(b.getSouth(), -90, 90),
      clamp(b.getEast(), -180, 180),
      clamp(b.getNorth(), -90, 90),
    ].join(",");
  }

  function projectMap(element) {
    var settings = config("map-config");
    var map = baseMap(element, settings);
    var outlines = drawOutlines(map, settings.outlines, settings.labels.red);
    var layer = null;
    var asked = 0; // the latest answer only is drawn
    map.setView(HOME, 11);

    function draw(data) {
      if (layer) {
        map.removeLayer(layer);
      }
      layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var p = feature.properties;
          if (p.cluster) {
            return clusterMarker(map, feature, latlng, settings.labels.cluster);
          }
          return L.marker(latlng, {
            icon: icon(p.light),
            title: p.code + " " + p.name + "（" + settings.lights[p.light] + "）",
            alt: p.code + " " + p.name + "（" + settings.lights[p.light] + "）",
            riseOnHover: true,
          }).bindPopup(popup(p, settings.labels, settings.lights, settings.period), { maxWidth: 300 });
        },
      }).addTo(map);
      element.setAttribute("data-clustered", data.clustered ? "true" : "false");
    }

    function ask(bbox) {
      var number = ++asked;
      var url = settings.pins + (bbox ? "&bbox=" + bbox : "");
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && number === asked) {
            draw(data);
            return data;
          }
          return null;
        });
    }

    // The whole scope first (pins, or above the cap clusters per zone, or per region beneath
    // on a map above the districts) to frame the map; when that was clusters, what lies in
    // the map's area whenever it moves (not while a popup is open: opening one pans the map,
    // and redrawing would close it).
    var popupOpen = false;
    map.on("popupopen", function () {
      popupOpen = true;
    });
    map.on("popupclose", function () {
      popupOpen = false;
    });
    ask(null).then(function (data) {
      if (!data) {
        return;
      }
      fit(map, [outlines, layer]); // at once: the answer in hand is the framed area's
      if (data.clustered) {
        map.on("moveend", function () {
          if (!popupOpen) {
            ask(viewport(map));
          }
        });
      }
      if (!data.features.length) {
        var note = document.createElement("p");
        note.className = "map-empty";
        note.setAttribute("role", "status");
        note.textContent = element.getAttribute("data-empty");
        element.parentNode.insertBefore(note, element.nextSibling);
      }
    });
  }

  function locationMap(element) {
    var settings = config("location-config");
    var map = baseMap(element, settings);
    var outlines = drawOutlines(map, settings.outlines);
    var marker = null;
    var form = document.querySelector(".location-form");
    var latitude = form && form.querySelector("[name=latitude]");
    var longitude = form && form.querySelector("[name=longitude]");
    function place(lat, lon) {
      if (marker) {
        marker.setLatLng([lat, lon]);
      } else {
        marker = L.marker([lat, lon], { icon: icon(settings.light), keyboard: false }).addTo(map);
      }
    }
    if (settings.point) {
      place(settings.point[0], settings.point[1]);
      map.setView(settings.point, 15);
    } else {
      fit(map, [outlines]);
    }
    if (!form) {
      return;
    }
    map.on("click", function (event) {
      latitude.value = event.latlng.lat.toFixed(6);
      longitude.value = event.latlng.lng.toFixed(6);
      place(event.latlng.lat, event.latlng.lng);
    });
    // A phone on site: its position, asked only over HTTPS (browsers give it nowhere else).
    var button = form.querySelector(".use-position");
    var status = form.querySelector(".position-status");
    if (button && window.isSecureContext && navigator.geolocation) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(
          function (position) {
            latitude.value = position.coords.latitude.toFixed(6);
            longitude.value = position.coords.longitude.toFixed(6);
            place(position.coords.latitude, position.coords.longitude);
            map.setView([position.coords.latitude, position.coords.longitude], 16);
            status.textContent = "";
          },
          function (error) {
            status.textContent = error.message;
          },
          { enableHighAccuracy: true, timeout: 15000 }
        );
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") {
      return;
    }
    var main = document.getElementById("map");
    if (main) {
      main.textContent = "";
      projectMap(main);
    }
    var small = document.getElementById("location-map");
    if (small) {
      locationMap(small);
    }
  });
})();
