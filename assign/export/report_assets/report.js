// The report's only script, inlined into the page. It reads the data block (#report-data) and adds
// the side panel, the subject/stage filters and table sorting; the map and charts are already SVG.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var T = data.text;
  var map = document.getElementById("county-map");
  var panel = document.getElementById("panel");

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function link(kind, id, text) {
    return '<a data-show="' + kind + '" data-id="' + esc(id) + '">' + esc(text) + "</a>";
  }
  function highlight(attr, id) {
    map.querySelectorAll("circle.school.sel").forEach(function (c) { c.classList.remove("sel"); });
    map.querySelectorAll("line.hl").forEach(function (l) { l.classList.remove("hl"); });
    if (!attr) return;
    map.querySelectorAll("line[data-" + attr + '="' + CSS.escape(id) + '"]').forEach(function (l) {
      l.classList.add("hl");
      var c = map.querySelector('circle[data-school="' + CSS.escape(l.getAttribute("data-school")) + '"]');
      if (c) c.classList.add("sel");
    });
    var own = map.querySelector('circle[data-school="' + CSS.escape(id) + '"]');
    if (attr === "school" && own) own.classList.add("sel");
  }

  function showSchool(id) {
    var s = data.schools[id];
    if (!s) return;
    var items = s.researchers.map(function (p) {
      var r = data.researchers[p[0]] || { name: p[0], subjects: [] };
      return '<li class="' + p[2] + '" data-researcher="' + esc(p[0]) + '">' + link("researcher", p[0], r.name) + "（" + esc(r.subjects.join("、")) + "）" +
        esc(p[1]) + " " + esc(T.minutes) + (p[2] !== "kept" ? " · " + esc(T[p[2]]) : "") + "</li>";
    });
    panel.innerHTML = '<h3 data-panel="school" data-id="' + esc(id) + '">' + esc(s.name) + "</h3>" +
      '<p class="muted">' + esc(T.area) + " " + esc(s.area) + " · " + esc(T.township) + " " + esc(s.township) + " · " +
      esc(T.priority) + " " + s.priority + " · " + esc(T.stages) + " " + esc(s.stages.join("、")) + "</p>" +
      "<b>" + esc(T.researchers_of) + "</b>" + (items.length ? '<ul class="researchers">' + items.join("") + "</ul>" : "<p>" + esc(T.none) + "</p>");
    highlight("school", id);
  }

  function showResearcher(id) {
    var r = data.researchers[id];
    if (!r) return;
    var items = r.schools.map(function (p) {
      var s = data.schools[p[0]] || { name: p[0] };
      return '<li class="' + p[2] + '" data-school="' + esc(p[0]) + '">' + link("school", p[0], s.name) + " " + esc(p[1]) + " " + esc(T.minutes) +
        (p[2] !== "kept" ? " · " + esc(T[p[2]]) : "") + "</li>";
    });
    var visits = (data.visits[id] || []).map(function (v) {
      var s = data.schools[v[0]] || { name: v[0] };
      return "<li>" + esc(v[1]) + (v[2] > 1 ? " +" + (v[2] - 1) : "") + " " + esc(s.name) + "</li>";
    });
    panel.innerHTML = '<h3 data-panel="researcher" data-id="' + esc(id) + '">' + esc(r.name) + "</h3>" +
      '<p class="muted">' + esc(r.subjects.join("、")) + " · " + esc(r.stages.join("、")) + " · " + esc(r.kind) + " · " + esc(r.start) + "</p>" +
      "<b>" + esc(T.schools_of) + "</b>" + (items.length ? '<ul class="schools">' + items.join("") + "</ul>" : "<p>" + esc(T.none) + "</p>") +
      (visits.length ? "<b>" + esc(T.visit_dates) + '</b><ul class="visits">' + visits.join("") + "</ul>" : "");
    highlight("researcher", id);
  }

  // Zoom (wheel, around the pointer) and pan (drag) by moving the viewBox; double-click resets.
  // Marks keep their size on screen, so a crowded town centre comes apart as it is zoomed in.
  var full = map.viewBox.baseVal, home = [full.x, full.y, full.width, full.height], view = home.slice();
  var marks = map.querySelectorAll("circle.school"), starts = map.querySelectorAll("[data-x]");
  marks.forEach(function (c) { c.setAttribute("data-r", c.getAttribute("r")); });
  function setView(v) {
    view = v;
    map.setAttribute("viewBox", v.join(" "));
    var k = v[2] / home[2];
    marks.forEach(function (c) { c.setAttribute("r", (parseFloat(c.getAttribute("data-r")) * k).toFixed(2)); });
    starts.forEach(function (m) {
      var x = m.getAttribute("data-x"), y = m.getAttribute("data-y");
      m.setAttribute("transform", "translate(" + x + " " + y + ") scale(" + k + ") translate(" + -x + " " + -y + ")");
    });
  }
  function toMap(e) {
    var box = map.getBoundingClientRect();
    return [view[0] + (e.clientX - box.left) / box.width * view[2], view[1] + (e.clientY - box.top) / box.height * view[3]];
  }
  map.addEventListener("wheel", function (e) {
    e.preventDefault();
    var p = toMap(e), f = e.deltaY < 0 ? 0.8 : 1.25;
    var w = Math.min(home[2], Math.max(home[2] / 40, view[2] * f)), h = w * home[3] / home[2];
    setView([p[0] - (p[0] - view[0]) * w / view[2], p[1] - (p[1] - view[1]) * h / view[3], w, h]);
  }, { passive: false });
  var drag = null, dragged = false;
  map.addEventListener("mousedown", function (e) { drag = [e.clientX, e.clientY, view.slice()]; dragged = false; });
  window.addEventListener("mouseup", function () { drag = null; });
  window.addEventListener("mousemove", function (e) {
    if (!drag) return;
    var dx = e.clientX - drag[0], dy = e.clientY - drag[1];
    if (Math.abs(dx) + Math.abs(dy) > 3) dragged = true;
    if (!dragged) return;
    var box = map.getBoundingClientRect(), v = drag[2];
    setView([v[0] - dx / box.width * v[2], v[1] - dy / box.height * v[3], v[2], v[3]]);
  });
  map.addEventListener("dblclick", function () { setView(home.slice()); });

  map.addEventListener("click", function (e) {
    if (dragged) { dragged = false; return; }  // the end of a pan is not a click on what lies under it
    var t = e.target;
    if (t.matches("circle.school")) showSchool(t.getAttribute("data-school"));
    else if (t.matches("line")) showResearcher(t.getAttribute("data-researcher"));
  });
  panel.addEventListener("click", function (e) {
    var a = e.target.closest("a[data-show]");
    if (!a) return;
    if (a.getAttribute("data-show") === "school") showSchool(a.getAttribute("data-id"));
    else showResearcher(a.getAttribute("data-id"));
  });

  // Filters: a line shows when its researcher teaches the subject and covers the stage; a school is
  // dimmed when it teaches none of the stage or no shown line reaches it.
  var fSubject = document.getElementById("filter-subject");
  var fStage = document.getElementById("filter-stage");
  function applyFilters() {
    var subject = fSubject.value, stage = fStage.value;
    var reached = {};
    map.querySelectorAll("line").forEach(function (l) {
      var r = data.researchers[l.getAttribute("data-researcher")] || { subjects: [], stages: [] };
      var show = (!subject || r.subjects.indexOf(subject) >= 0) && (!stage || r.stages.indexOf(stage) >= 0);
      l.classList.toggle("hidden", !show);
      if (show) reached[l.getAttribute("data-school")] = true;
    });
    map.querySelectorAll("circle.school").forEach(function (c) {
      var stages = (c.getAttribute("data-stages") || "").split(" ");
      var dim = (stage && stages.indexOf(stage) < 0) || (subject && !reached[c.getAttribute("data-school")]);
      c.classList.toggle("dim", !!dim);
    });
  }
  var pick = document.getElementById("pick-researcher");
  pick.addEventListener("change", function () { if (pick.value) showResearcher(pick.value); });
  fSubject.addEventListener("change", applyFilters);
  fStage.addEventListener("change", applyFilters);
  document.getElementById("filter-clear").addEventListener("click", function () {
    fSubject.value = ""; fStage.value = ""; pick.value = ""; applyFilters(); highlight(null);
  });

  // Sortable tables: numbers sort as numbers, the rest by the page's language.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      th.addEventListener("click", function () {
        var asc = !th.classList.contains("asc");
        heads.forEach(function (h) { h.classList.remove("asc", "desc"); });
        th.classList.add(asc ? "asc" : "desc");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].textContent, y = b.cells[col].textContent;
          var nx = parseFloat(x), ny = parseFloat(y);
          var c = (!isNaN(nx) && !isNaN(ny) && String(nx) === x.trim() && String(ny) === y.trim()) ? nx - ny : x.localeCompare(y, document.documentElement.lang);
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    table.tBodies[0].addEventListener("click", function (e) {
      var tr = e.target.closest("tr[data-researcher]");
      if (tr) { showResearcher(tr.getAttribute("data-researcher")); panel.scrollIntoView({ block: "nearest" }); }
    });
  });

  // Month view: a day with visits lists them in the panel.
  document.querySelectorAll("table.month td.busy").forEach(function (td) {
    td.addEventListener("click", function () {
      panel.innerHTML = "<h3>" + esc(td.getAttribute("data-date")) + "</h3><ul>" +
        td.getAttribute("title").split("\n").map(function (x) { return "<li>" + esc(x) + "</li>"; }).join("") + "</ul>";
    });
  });
})();
