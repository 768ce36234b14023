// The province map: Leaflet with the simplified boundaries served by the app, no tile server.
// Colours by the figure the reader picks, legend, value on hover, click to the province's page,
// project points clustered and coloured by status. The container has dir="ltr" (Leaflet positions
// tooltips and controls in left-to-right coordinates); texts inside carry the page's direction.
(function () {
  "use strict";
  const PALETTE = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"];
  const NO_DATA = "#d9d9d9";

  function text(tag, content, dir) {
    const node = document.createElement(tag);
    node.textContent = content;
    if (dir) node.dir = dir;
    return node;
  }

  function plain(value, marks) {
    // The page's way of writing a number (same marks as the server's amounts).
    const [whole, fraction] = (Math.round(value * 100) / 100).toFixed(value >= 100 ? 0 : 2).split(".");
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, marks.group);
    return fraction ? grouped + marks.decimal + fraction : grouped;
  }

  function breaks(values) {
    // Quantile classes over provinces that have a value above zero; equal limits merge, so that a
    // map where few provinces have money shows them darkest instead of five identical classes.
    const sorted = values.filter((v) => v !== null && v > 0).sort((a, b) => a - b);
    if (!sorted.length) return [];
    const limits = [0.2, 0.4, 0.6, 0.8].map((q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
    return limits.filter((limit, index) => limit < sorted[sorted.length - 1] && limits.indexOf(limit) === index);
  }

  function shade(index, classes) {
    // The class's colour, spread over the palette so that the top class is always the darkest.
    return PALETTE[classes <= 1 ? PALETTE.length - 1 : Math.round((index * (PALETTE.length - 1)) / (classes - 1))];
  }

  function colour(value, limits) {
    if (value === null || value === undefined || value <= 0) return NO_DATA;
    let index = 0;
    while (index < limits.length && value > limits[index]) index += 1;
    return shade(index, limits.length + 1);
  }

  function start(container) {
    const config = JSON.parse(document.getElementById(container.dataset.map).textContent);
    const dir = config.rtl ? "rtl" : "ltr";
    const map = window.L.map(container, { attributionControl: true, zoomSnap: 0.25, minZoom: 4, maxZoom: 12 });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(config.attribution);
    map.attributionControl.getContainer().dir = config.rtl ? "rtl" : "ltr";
    let measure = config.measure;
    let layer = null;
    const legend = window.L.control({ position: "bottomright" });
    legend.onAdd = () => window.L.DomUtil.create("div", "map-legend");

    function valueOf(code) {
      const figures = config.figures[code];
      return figures ? figures.values[measure] : null;
    }

    function drawLegend(limits) {
      const box = legend.getContainer();
      box.replaceChildren();
      box.dir = dir;
      box.appendChild(text("div", config.measures[measure], dir)).className = "fw-bold";
      const codes = Object.keys(config.figures).filter((c) => !config.region || config.figures[c].region === config.region);
      const positive = codes.map(valueOf).filter((v) => v !== null && v > 0);
      const labels = positive.length ? [null, ...limits] : [];
      labels.forEach((low, index) => {
        const line = document.createElement("div");
        const swatch = document.createElement("i");
        swatch.style.background = shade(index, labels.length);
        line.appendChild(swatch);
        const high = limits[index];
        const fmt = (v) => plain(v, config.marks);
        line.appendChild(document.createTextNode(
          low === null
            ? (high === undefined ? "> 0" : "≤ " + fmt(high))
            : high === undefined ? "> " + fmt(low) : fmt(low) + " – " + fmt(high)));
        box.appendChild(line);
      });
      const none = document.createElement("div");
      const swatch = document.createElement("i");
      swatch.style.background = NO_DATA;
      none.appendChild(swatch);
      none.appendChild(document.createTextNode(config.no_data));
      box.appendChild(none);
    }

    function restyle() {
      const codes = Object.keys(config.figures).filter((c) => !config.region || config.figures[c].region === config.region);
      const limits = breaks(codes.map(valueOf));
      layer.setStyle((feature) => ({
        fillColor: colour(valueOf(feature.properties.code), limits),
        fillOpacity: 0.85, color: "#ffffff", weight: 1,
      }));
      drawLegend(limits);
    }

    function tooltip(code) {
      const figures = config.figures[code];
      const box = document.createElement("div");
      box.dir = dir;
      if (!figures) return box;
      box.appendChild(text("div", figures.name)).className = "fw-bold";
      box.appendChild(text("div", config.measures[measure] + " : " + figures.labels[measure]));
      return box;
    }

    fetch(config.geojson).then((r) => r.json()).then((data) => {
      const features = data.features.filter((f) => !config.region || f.properties.region === config.region);
      layer = window.L.geoJSON({ type: "FeatureCollection", features }, {
        onEachFeature: (feature, shape) => {
          const code = feature.properties.code;
          shape.bindTooltip(() => tooltip(code), { sticky: true, direction: "top" });
          shape.on("click", () => { window.location.href = config.province_url.replace("CODE", code); });
          shape.on("mouseover", () => shape.setStyle({ weight: 3, color: "#333" }));
          shape.on("mouseout", () => shape.setStyle({ weight: 1, color: "#ffffff" }));
        },
      }).addTo(map);
      legend.addTo(map);
      restyle();
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      addPoints();
    });

    function addPoints() {
      if (!config.points.length || !window.L.markerClusterGroup) return;
      const cluster = window.L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
      for (const point of config.points) {
        const status = config.statuses[point.status] || { colour: "#6c757d", label: point.status };
        const marker = window.L.circleMarker([point.lat, point.lon], {
          radius: 6, color: "#ffffff", weight: 1, fillColor: status.colour, fillOpacity: 1,
        });
        const box = document.createElement("div");
        box.dir = dir;
        const link = text("a", point.title || point.reference);
        link.href = config.project_url.replace("REF", encodeURIComponent(point.reference));
        box.appendChild(link);
        box.appendChild(text("div", status.label));
        marker.bindPopup(box);
        cluster.addLayer(marker);
      }
      map.addLayer(cluster);
    }

    const picker = document.querySelector("[data-map-measure='" + container.dataset.map + "']");
    if (picker) {
      // The table under the map follows the same figure: the form reloads the page with it.
      picker.addEventListener("change", () => {
        if (!(picker.value in config.measures)) return;
        measure = picker.value;
        if (layer) restyle();
        if (picker.form) picker.form.submit();
      });
    }
    window.addEventListener("beforeprint", () => map.invalidateSize());
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!window.L) return;
    document.querySelectorAll("[data-map]").forEach(start);
  });
})();
