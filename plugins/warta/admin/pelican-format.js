/* Decap CMS format "pelican": Pelican's Markdown header ("Key: value" lines, a blank line,
 * then the body), so articles saved from /admin/ are exactly what `invoke new` writes and
 * what `invoke check` validates. Runs in the browser (registered with Decap) and under Node
 * (tests load it with require()). */
(function (root) {
  "use strict";

  var ORDER = ["title", "date", "modified", "source", "category", "tags", "summary", "image",
               "author", "penulis", "editor", "status", "slug"];
  var LIST_FIELDS = { tags: true };
  var META_LINE = /^ {0,3}([A-Za-z0-9_-]+):\s*(.*)$/;
  var MORE_LINE = /^ {4,}(.*)$/;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function formatDate(value) {
    /* A Date from the datetime widget → "YYYY-MM-DD HH:MM+hh:mm" in the editor's offset. */
    var off = -value.getTimezoneOffset();
    var sign = off >= 0 ? "+" : "-";
    off = Math.abs(off);
    return value.getFullYear() + "-" + pad(value.getMonth() + 1) + "-" + pad(value.getDate()) +
      " " + pad(value.getHours()) + ":" + pad(value.getMinutes()) +
      sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  }

  function oneLine(value) {
    return String(value).replace(/\s*\n\s*/g, " ").trim();
  }

  function capitalize(key) {
    return key.charAt(0).toUpperCase() + key.slice(1);
  }

  function fromFile(content) {
    var lines = String(content).replace(/^\uFEFF/, "").split(/\r?\n/);
    var data = {};
    var key = null;
    var i = 0;
    if (lines.length && lines[0].trim() === "---") { i = 1; }
    for (; i < lines.length; i++) {
      var line = lines[i];
      if (!line.trim() || line.trim() === "---") { i++; break; }
      var m = META_LINE.exec(line);
      var more = MORE_LINE.exec(line);
      if (m) {
        key = m[1].toLowerCase();
        data[key] = m[2].trim();
      } else if (more && key !== null) {
        data[key] = (data[key] + " " + more[1].trim()).trim();
      } else {
        break;
      }
    }
    Object.keys(LIST_FIELDS).forEach(function (name) {
      if (typeof data[name] === "string") {
        data[name] = data[name].split(/[;,]/).map(function (t) { return t.trim(); })
          .filter(function (t) { return t; });
      }
    });
    data.body = lines.slice(i).join("\n");
    return data;
  }

  function toFile(data) {
    var keys = ORDER.filter(function (k) { return k in data; });
    Object.keys(data).forEach(function (k) {
      if (k !== "body" && keys.indexOf(k) < 0) { keys.push(k); }
    });
    var out = [];
    keys.forEach(function (k) {
      var value = data[k];
      if (value === null || value === undefined) { return; }
      if (value instanceof Date) { value = formatDate(value); }
      if (Array.isArray(value)) { value = value.map(oneLine).filter(Boolean).join(", "); }
      value = oneLine(value);
      if (value === "") { return; }
      out.push(capitalize(k) + ": " + value);
    });
    var body = data.body ? String(data.body).replace(/^\s*\n/, "") : "";
    return out.join("\n") + "\n\n" + body.replace(/\s*$/, "") + "\n";
  }

  var format = { fromFile: fromFile, toFile: toFile, formatDate: formatDate };
  if (typeof module !== "undefined" && module.exports) { module.exports = format; }
  if (root && root.CMS) { root.CMS.registerCustomFormat("pelican", "md", format); }
})(typeof window !== "undefined" ? window : null);
