import Foundation
import HTTPTypes
import Hummingbird

/// Leaflet from Debian's `libjs-leaflet` (read from its system folder once, never copied into
/// LandWatch) and LandWatch's own script and style sheet; browsers may keep them for an hour.
extension WebApp {
    func addStaticRoutes(to router: Router<WebContext>) {
        router.get("static/app.js") { _, _ in WebAssets.reply(Array(WebAssets.script.utf8), name: "app.js") }
        router.get("static/app.css") { _, _ in WebAssets.reply(Array(WebAssets.style.utf8), name: "app.css") }
        router.get("static/leaflet/**") { _, context in
            // Only the files read at start: Leaflet's script, style sheet and images.
            let path = context.parameters.getCatchAll().joined(separator: "/")
            guard let bytes = self.leaflet[path] else { return Reply.json(.object([("error", .string("not found"))]), status: .notFound) }
            return WebAssets.reply(bytes, name: path)
        }
    }
}

/// The script that draws the maps (data from LandWatch's own API; a basemap only when `--tiles`
/// names one) and the style sheet. No inline script: the pages' CSP allows scripts from this server only.
enum WebAssets {
    /// Leaflet's script, style sheet and images, by their path under `folder`.
    static func leaflet(in folder: String) -> [String: [UInt8]] {
        let images = ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/images")) ?? []).filter { $0.hasSuffix(".png") }
        var files: [String: [UInt8]] = [:]
        for path in ["leaflet.js", "leaflet.css"] + images.map({ "images/" + $0 }) {
            if let data = FileManager.default.contents(atPath: folder + "/" + path) { files[path] = [UInt8](data) }
        }
        return files
    }

    static func reply(_ bytes: [UInt8], name: String) -> Response {
        let type = name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : name.hasSuffix(".css") ? "text/css; charset=utf-8" : "image/png"
        return Reply.bytes(bytes, type: type, cache: "max-age=3600")
    }

    static let script = #"""
    (function () {
      "use strict";
      var el = document.getElementById("map");
      if (!el || !window.L) { return; }
      var map = L.map(el, { preferCanvas: true });
      var tiles = el.getAttribute("data-tiles");
      if (tiles) { L.tileLayer(tiles, { maxZoom: 19 }).addTo(map); }
      var colours = { open: "#d7301f", suspected: "#fc8d59", reported: "#2b8cbe", closed: "#31a354" };
      function get(url) { return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }); }
      Promise.all([get(el.getAttribute("data-zones")), get(el.getAttribute("data-entries"))]).then(function (both) {
        var zones = both[0], entries = both[1];
        var open = {};
        entries.features.forEach(function (f) {
          var p = f.properties;
          if (p.state !== "closed") { open[p.zone] = (open[p.zone] || 0) + 1; }
        });
        var most = Math.max.apply(null, [1].concat(Object.keys(open).map(function (k) { return open[k]; })));
        var own = el.getAttribute("data-own-zone");
        var shade = el.getAttribute("data-fit") !== "entries";
        var zoneLayer = L.geoJSON(zones, {
          style: function (f) {
            var n = open[f.properties.name] || 0;
            return { color: f.properties.name === own ? "#000" : "#555", weight: f.properties.name === own ? 2.5 : 1,
                     fillColor: "#d7301f", fillOpacity: shade ? 0.05 + 0.45 * n / most : 0.03 };
          },
          onEachFeature: function (f, layer) {
            var label = document.createElement("span");
            label.textContent = f.properties.name + ": " + (open[f.properties.name] || 0);
            layer.bindTooltip(label);
          }
        }).addTo(map);
        var entryLayer = L.geoJSON(entries, {
          style: function (f) {
            var p = f.properties;
            return { color: colours[p.state] || "#333", weight: p.overdue ? 3 : 1.5, dashArray: p.overdue ? "4 3" : null, fillOpacity: 0.2 };
          },
          onEachFeature: function (f, layer) {
            var link = document.createElement("a");
            link.href = "/entries/" + encodeURIComponent(f.properties.id);
            var zh = el.getAttribute("data-lang") !== "en";
            var states = zh ? { open: "在账", suspected: "疑似销账", reported: "申请销账", closed: "已销账" } : {};
            link.textContent = f.properties.id + " · " + (states[f.properties.state] || f.properties.state)
              + (f.properties.overdue ? (zh ? " · 超期" : " · overdue") : "");
            layer.bindPopup(link);
          }
        }).addTo(map);
        var fit = el.getAttribute("data-fit") === "entries" && entries.features.length ? entryLayer : zoneLayer;
        var bounds = fit.getBounds();
        if (own && el.getAttribute("data-fit") !== "entries") {
          zoneLayer.eachLayer(function (l) { if (l.feature.properties.name === own) { bounds = l.getBounds(); } });
        }
        if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 17 }); } else { map.setView([39.73, 116.34], 10); }
        el.setAttribute("data-ready", String(entries.features.length));
      });
    })();
    """#

    static let style = """
    body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0; color: #222; }
    header { background: #1f4e79; color: #fff; padding: 0.5em 1em; display: flex; justify-content: space-between; align-items: center; flex-wrap: wrap; }
    header h1 { font-size: 1.2em; margin: 0; }
    header a, header button { color: #fff; margin-right: 1em; background: none; border: 1px solid #fff; padding: 0.2em 0.6em; cursor: pointer; text-decoration: none; }
    .who { margin-right: 1em; }
    form.inline { display: inline; }
    main { padding: 1em; }
    .map { height: 480px; border: 1px solid #999; }
    .map.small { height: 320px; }
    table { border-collapse: collapse; margin: 0.5em 0; }
    th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
    td.n { text-align: right; }
    tr.overdue td { background: #fde0dd; }
    tr.mine td { font-weight: bold; background: #fff7bc; }
    .error { color: #b30000; font-weight: bold; }
    .filters label, .action label { margin-right: 1em; display: inline-block; }
    .actions { display: flex; flex-wrap: wrap; gap: 1em; }
    form.action { border: 1px solid #ccc; padding: 0.5em 1em; }
    form.action textarea { width: 20em; height: 4em; vertical-align: top; }
    .photos img { max-width: 240px; max-height: 180px; }
    .photos figure { display: inline-block; margin: 0.5em; }
    .legend span { padding: 0 0.5em; border-left: 1em solid; margin-right: 1em; }
    .legend .s-open { border-color: #d7301f; } .legend .s-suspected { border-color: #fc8d59; }
    .legend .s-reported { border-color: #2b8cbe; } .legend .s-closed { border-color: #31a354; }
    .legend .s-overdue { border-color: #000; border-left-style: dashed; }
    form.login label { display: block; margin: 0.5em 0; }
    """
}
