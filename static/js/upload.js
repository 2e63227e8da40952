// Uploads each chosen or dropped file with its own progress bar (XMLHttpRequest reports upload
// progress; fetch does not). Without JavaScript the form posts all files at once and still works.
(function () {
  "use strict";
  function bar(name) {
    var wrap = document.createElement("div");
    wrap.className = "mb-2 small";
    wrap.innerHTML = '<div class="file-name"></div><div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"><div class="progress-bar" style="width:0%"></div></div><div class="result"></div>';
    wrap.querySelector(".file-name").textContent = name;
    return wrap;
  }
  function send(form, file, area, again) {
    return new Promise(function (resolve) {
      var row = bar(file.name), fill = row.querySelector(".progress-bar");
      if (again) { area.replaceChild(row, again); } else { area.appendChild(row); }
      var data = new FormData(form);
      data.delete("files");
      data.append("files", file, file.name);
      if (again) { data.append("allow_duplicate", "1"); }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) { var p = Math.round(100 * e.loaded / e.total); fill.style.width = p + "%"; fill.textContent = p + "%"; }
      };
      xhr.onload = function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = {errors: [xhr.statusText]}; }
        var ok = xhr.status === 200 && body.ok;
        fill.classList.add(ok ? "bg-success" : "bg-danger");
        fill.style.width = "100%";
        row.querySelector(".result").textContent = ok ? body.message : (body.errors || []).join(" ");
        row.querySelector(".result").className = "result " + (ok ? "text-success" : "text-danger");
        if (xhr.status === 409 && body.duplicate) {
          // The same file is already in this period: ask, and send it again only if confirmed.
          var button = document.createElement("button");
          button.type = "button";
          button.className = "btn btn-sm btn-outline-warning ms-2 upload-again";
          button.textContent = form.dataset.duplicateAgain || "Upload it anyway";
          button.addEventListener("click", function () {
            send(form, file, area, row).then(function (sent) { if (sent) { window.location.reload(); } });
          });
          row.querySelector(".result").appendChild(button);
        }
        resolve(ok);
      };
      xhr.onerror = function () { row.querySelector(".result").textContent = form.dataset.networkError || "Network error"; resolve(false); };
      xhr.send(data);
    });
  }
  document.querySelectorAll("form.upload-form").forEach(function (form) {
    var input = form.querySelector("input[type=file][name=files]");
    var zone = form.querySelector(".drop-zone"), area = form.querySelector(".upload-progress");
    var camera = form.querySelector(".camera-input");
    var chosen = [];
    function take(list) { chosen = Array.prototype.slice.call(list); zone.dataset.count = chosen.length;
      input.required = false;  // dropped files are sent by script; the empty input must not block submit
      zone.querySelector(".chosen") || zone.insertAdjacentHTML("beforeend", '<div class="chosen small mt-1"></div>');
      zone.querySelector(".chosen").textContent = chosen.map(function (f) { return f.name; }).join(", "); }
    ["dragenter", "dragover"].forEach(function (t) { zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("bg-light"); }); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("bg-light"); });
    zone.addEventListener("drop", function (e) { e.preventDefault(); zone.classList.remove("bg-light"); take(e.dataTransfer.files); });
    input.addEventListener("change", function () { take(input.files); });
    if (camera) camera.addEventListener("change", function () { take(camera.files); });
    form.addEventListener("submit", function (e) {
      if (!chosen.length || !window.FormData) return;  // let the browser post the form itself
      e.preventDefault();
      input.required = false;
      area.innerHTML = "";
      chosen.reduce(function (p, f) { return p.then(function (all) { return send(form, f, area).then(function (ok) { return all && ok; }); }); }, Promise.resolve(true))
        .then(function (allOk) { if (allOk) { window.location.hash = form.closest("section").id; window.location.reload(); } });
    });
  });
})();
