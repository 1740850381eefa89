// Optional progressive enhancement for /status/: a type-to-filter box over the source table.
// The page is complete without it (sorting and filtering are server-rendered views).
(function () {
  var box = document.querySelector(".status .cari");
  var table = document.querySelector("[data-status-table]");
  if (!box || !table) return;
  box.hidden = false;
  var input = box.querySelector("input");
  var rows = table.tBodies[0].rows;
  input.addEventListener("input", function () {
    var q = input.value.trim().toLowerCase();
    for (var i = 0; i < rows.length; i++) {
      rows[i].hidden = q !== "" && rows[i].textContent.toLowerCase().indexOf(q) < 0;
    }
  });
})();
