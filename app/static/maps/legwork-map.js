/* Layers for Legwork's coverage maps. folium writes a few lines that call these with the
 * page's data; everything that runs per feature lives here, so the generated script stays small
 * and its CSP hash stable. Popups are built with textContent: addresses and list names are data,
 * never HTML. Doors are canvas circle markers (one shared renderer): tens of thousands of DOM
 * markers would freeze a phone. */
(function () {
  "use strict";

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function pct(n, d) {
    return d ? Math.round((100 * n) / d) + "%" : "–";
  }

  /* scale: [[lowerBound, colour], ...] ascending; zero gets its own "none yet" colour. */
  function scaleColour(scale, zeroColour, share) {
    if (!share) return zeroColour;
    var colour = scale[0][1];
    for (var i = 0; i < scale.length; i++) if (share >= scale[i][0]) colour = scale[i][1];
    return colour;
  }

  function areaPopup(props, opts) {
    var box = el("div", null, "lw-popup");
    box.appendChild(el("strong", props.name));
    box.appendChild(el("div", props.households + " households", "lw-muted"));
    var table = el("table");
    opts.measures.forEach(function (m) {
      var row = el("tr");
      row.appendChild(el("th", m[1]));
      row.appendChild(el("td", pct(props[m[0]], props.households) + " (" + props[m[0]] + ")"));
      table.appendChild(row);
    });
    box.appendChild(table);
    if (props.url) {
      var link = el("a", "Show doors \u2192");
      link.href = props.url;
      box.appendChild(link);
    }
    return box;
  }

  /* The statewide map's data: {shapes: url, fields: [...], figures: {wardId: [n, ...]}}. The
   * shapes come once for all the measures' layers (the browser keeps them: see
   * app/maps/wards.py); each ward's figures, zero where the rollup has no row, join its properties. */
  var fetched = {};

  function remoteAreas(data) {
    if (!fetched[data.shapes]) {
      fetched[data.shapes] = fetch(data.shapes, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("ward shapes: HTTP " + response.status);
        return response.json();
      }).then(function (shapes) {
        shapes.features.forEach(function (f) {
          var row = data.figures[f.properties.id] || [];
          data.fields.forEach(function (name, i) { f.properties[name] = row[i] || 0; });
        });
        return shapes;
      }).catch(function (err) {  // said once, not once per measure's layer
        var box = el("p", "The ward shapes did not load: reload the page to try again.", "lw-load-error");
        box.setAttribute("role", "alert");
        document.body.appendChild(box);
        console.error(err);
        return null;
      });
    }
    return fetched[data.shapes];
  }

  function coverageLayer(data, measure, opts) {
    if (data && data.shapes) {
      var layer = coverageLayer(null, measure, opts);
      remoteAreas(data).then(function (shapes) { if (shapes) layer.addData(shapes); });
      return layer;
    }
    return L.geoJson(data, {
      style: function (f) {
        var share = f.properties.households ? f.properties[measure] / f.properties.households : 0;
        return { color: opts.edge, weight: 1, fillOpacity: 0.7, fillColor: scaleColour(opts.scale, opts.zero, share) };
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(function () { return areaPopup(f.properties, opts); });
        // A node, not a string: Leaflet renders a string tooltip as HTML, and area names are data.
        layer.bindTooltip(el("span", f.properties.name + ": " + pct(f.properties[measure], f.properties.households)));
      },
    });
  }

  function turfPopup(props) {
    var box = el("div", null, "lw-popup");
    box.appendChild(el("strong", props.name));
    box.appendChild(el("div", props.volunteers || "Not assigned", props.volunteers ? null : "lw-muted"));
    box.appendChild(el("div", props.done + " / " + props.total + " doors (" + pct(props.done, props.total) + ")"));
    box.appendChild(el("div", props.last ? "Last activity " + props.last : "No activity yet", "lw-muted"));
    if (props.url) {
      var link = el("a", "Open list map \u2192");
      link.href = props.url;
      box.appendChild(link);
    }
    return box;
  }

  function turfLayer(data, opts) {
    return L.geoJson(data, {
      style: function (f) {
        var p = f.properties, share = p.total ? p.done / p.total : 0;
        return { color: scaleColour(opts.progress, opts.progressZero, share), weight: 3, fillOpacity: 0.05, dashArray: share ? null : "6 4" };
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(function () { return turfPopup(f.properties); });
      },
    });
  }

  var renderer = null, formats = {};

  function whenFormat(tz) {
    if (!formats[tz]) {
      try {
        formats[tz] = new Intl.DateTimeFormat(undefined, { timeZone: tz, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
      } catch (err) {  // an unknown zone name: the phone's own clock is the next best thing
        formats[tz] = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
      }
    }
    return formats[tz];
  }

  /* data: parallel arrays from the server (see app/maps/render.py door_columns). */
  function doorFeatures(data) {
    var features = new Array(data.x.length);
    for (var i = 0; i < data.x.length; i++) {
      features[i] = {
        type: "Feature",
        geometry: { type: "Point", coordinates: [data.x[i] / 1e5, data.y[i] / 1e5] },
        properties: { a: data.a[i], s: data.s[i], c: data.c[i], t: data.t[i] },
      };
    }
    return { type: "FeatureCollection", features: features };
  }

  function doorLayer(data, opts) {
    renderer = renderer || L.canvas({ padding: 0.5 });
    var group = L.geoJson(doorFeatures(data), {
      pointToLayer: function (f, latlng) {
        var status = opts.statuses[f.properties.s];
        return L.circleMarker(latlng, {
          renderer: renderer, radius: opts.radius, weight: 1, color: opts.edge,
          fillColor: status.colour, fillOpacity: 0.9,
        });
      },
    });
    // One popup for the whole layer, built on click: no per-marker popup objects.
    group.bindPopup(function (layer) {
      var p = layer.feature.properties, box = el("div", null, "lw-popup");
      box.appendChild(el("strong", p.a));
      box.appendChild(el("div", opts.statuses[p.s].label));
      if (p.c >= 0) {
        var code = data.codes[p.c], when = new Date((data.t0 + p.t) * 60000);
        box.appendChild(el("div", "Last: " + code[1] + " (" + code[0] + "), " + whenFormat(opts.tz).format(when), "lw-muted"));
      }
      return box;
    });
    return group;
  }

  // The legend starts folded on a phone (it would cover the doors) and open on a wider screen.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.matchMedia("(min-width: 700px)").matches) {
      document.querySelectorAll(".lw-legend").forEach(function (d) { d.open = true; });
    }
  });

  // The front end's one global, on purpose: folium's generated inline script (allowed by its CSP
  // hash, see app/maps/render.py LegworkLayer) is a classic script and can only reach a global.
  // Colours come in `opts` from render.py, which reads them from tokens.css.
  window.LegworkMap = { coverageLayer: coverageLayer, turfLayer: turfLayer, doorLayer: doorLayer };
})();
