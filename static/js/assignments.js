// The assignments screen: the search narrows the table as one types (the server does the same for
// ?q= without JavaScript); a picker's closed line shows its officers as ticked; rows changed but
// not saved are marked and counted; ticking rows for a bulk assignment chooses "ticked items".
(function () {
  "use strict";
  var form = document.getElementById("assign-form"), bulk = document.getElementById("bulk-form");
  if (!form || !bulk) { return; }
  var rows = Array.prototype.slice.call(form.querySelectorAll("tbody tr"));
  var search = document.querySelector("[data-assign-filter]"), shown = document.querySelector("[data-shown]");
  var changed = form.querySelector("[data-changed]");

  function names(row) {
    return Array.prototype.map.call(row.querySelectorAll(".officer-picker input:checked"), function (box) {
      return box.parentNode.querySelector("label").textContent;
    });
  }
  function matches(row, query) {
    if (!query) { return true; }
    return row.dataset.item.toLowerCase() === query || names(row).some(function (n) { return n.toLowerCase().indexOf(query) !== -1; });
  }
  function filter() {
    var query = search.value.trim().toLowerCase(), count = 0;
    rows.forEach(function (row) {
      var show = matches(row, query);
      row.hidden = !show;
      if (!show) { row.querySelector("input[name=chosen]").checked = false; }  // a bulk assignment touches only what is seen
      count += show ? 1 : 0;
    });
    countTicks();
    shown.textContent = query ? shown.dataset.template.replace("{shown}", count).replace("{all}", rows.length) : "";
  }
  if (search) {
    search.addEventListener("input", filter);
    search.form.addEventListener("submit", function (e) { e.preventDefault(); filter(); });
  }

  function chips(picker) {
    var box = picker.querySelector(".chips");
    box.textContent = "";
    var list = Array.prototype.map.call(picker.querySelectorAll("input:checked"), function (b) { return b.parentNode.querySelector("label").textContent; });
    list.forEach(function (name) {
      var chip = document.createElement("span");
      chip.className = "badge rounded-pill text-bg-light border me-1";
      chip.textContent = name;
      box.appendChild(chip);
    });
    if (!list.length) { var none = document.createElement("span"); none.className = "text-muted"; none.textContent = box.dataset.none; box.appendChild(none); }
  }
  function state(row) {
    return Array.prototype.map.call(row.querySelectorAll(".officer-picker input"), function (b) { return b.checked ? "1" : "0"; }).join("");
  }
  rows.forEach(function (row) { row.dataset.saved = state(row); });
  form.addEventListener("change", function (e) {
    var picker = e.target.closest(".officer-picker");
    if (!picker) { return; }
    chips(picker);
    var row = picker.closest("tr");
    row.classList.toggle("table-warning", state(row) !== row.dataset.saved);
    var n = form.querySelectorAll("tbody tr.table-warning").length;
    changed.textContent = n ? changed.dataset.template.replace("{n}", n) : "";
  });

  var kind = bulk.querySelector("select[name=items]"), ticked = form.querySelector("[data-ticked]");
  function countTicks() {  // the bulk form sits above the table, folded: open it, say how many are ticked, link up to it
    var n = form.querySelectorAll("input[name=chosen]:checked").length;
    if (n) { bulk.closest("details").open = true; }
    ticked.hidden = !n;
    ticked.textContent = ticked.dataset.template.replace("{n}", n);
  }
  document.addEventListener("change", function (e) {
    if (e.target.name === "chosen" && e.target.checked && kind) { kind.value = "chosen"; }
    if (e.target.name === "chosen" || e.target.hasAttribute("data-tick-all")) { countTicks(); }
  });
  var all = form.querySelector("[data-tick-all]");
  if (all) {
    all.addEventListener("change", function () {
      rows.forEach(function (row) { if (!row.hidden) { row.querySelector("input[name=chosen]").checked = all.checked; } });
      if (all.checked && kind) { kind.value = "chosen"; }
      countTicks();
    });
  }
})();
