// Uploads each chosen or dropped file with its own progress bar (XMLHttpRequest reports upload
// progress; fetch does not). Without JavaScript the form posts all files at once and still works.
// Leaving the page would abort the files not yet sent, so while any wait or are in flight a link
// or another form on the page waits for them (a notice offers to stay or to leave now), and
// closing or reloading the tab asks the browser's own question. Nothing is lost without a word.
(function () {
  "use strict";
  var pending = 0, then = null, notice = null;
  var first = document.querySelector("form.upload-form");
  var texts = first ? first.dataset : {};

  function closeNotice() { if (notice) { notice.remove(); notice = null; } }
  function showNotice() {
    if (!notice) {
      notice = document.createElement("div");
      notice.className = "alert alert-warning shadow upload-leaving position-fixed bottom-0 start-0 end-0 m-2";
      notice.style.zIndex = 1080;
      notice.setAttribute("role", "alert");
      notice.innerHTML = '<p class="mb-2 words"></p><button type="button" class="btn btn-sm btn-primary me-2 mb-1 stay"></button><button type="button" class="btn btn-sm btn-outline-danger mb-1 leave-now"></button>';
      notice.querySelector(".stay").textContent = texts.stay || "Stay on this page";
      notice.querySelector(".leave-now").textContent = texts.leaveNow || "Leave now";
      notice.querySelector(".stay").addEventListener("click", function () { then = null; closeNotice(); });
      notice.querySelector(".leave-now").addEventListener("click", function () {
        var go = then; then = null; pending = 0; closeNotice(); if (go) { go(); }
      });
      document.body.appendChild(notice);
      notice.querySelector(".stay").focus();
    }
    notice.querySelector(".words").textContent = (texts.inFlight || "{n} file(s) still uploading.").replace("{n}", pending);
  }
  // Called when every file of a batch has answered: go where the user asked to go meanwhile, or
  // reload to list the new files; after a failure stay, its reason is shown by the file's bar.
  function finished(allOk, reload) {
    var go = then;
    if (busy()) { return; }
    then = null;
    if (allOk) { closeNotice(); if (go) { go(); } else { reload(); } return; }
    if (notice) {
      notice.querySelector(".words").textContent = texts.someFailed || "Some files were not uploaded.";
      var now = notice.querySelector(".leave-now"); if (now) { now.remove(); }
    }
  }
  function busy() { return pending > 0; }

  window.addEventListener("beforeunload", function (event) {
    if (busy()) { event.preventDefault(); event.returnValue = ""; }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!busy() || !link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    if (link.target === "_blank" || link.hasAttribute("download") || link.origin !== window.location.origin) { return; }
    if (link.pathname === window.location.pathname && link.search === window.location.search && link.hash) { return; }
    event.preventDefault();
    then = function () { window.location.href = link.href; };
    showNotice();
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!busy() || form.classList.contains("upload-form")) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    var submitter = event.submitter || null;  // its name and value (the workflow's action) go with it
    then = function () { form.requestSubmit(submitter); };
    showNotice();
  }, true);

  function bar(name) {
    var wrap = document.createElement("div");
    wrap.className = "mb-2 small";
    wrap.innerHTML = '<div class="file-name"></div><div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"><div class="progress-bar" style="width:0%"></div></div><div class="result"></div>';
    wrap.querySelector(".file-name").textContent = name;
    return wrap;
  }
  // Sends one file; the caller has counted it in `pending`, and it is uncounted when it answers.
  function send(form, file, area, again) {
    return new Promise(function (resolve) {
      var row = bar(file.name), fill = row.querySelector(".progress-bar");
      if (again) { area.replaceChild(row, again); } else { area.appendChild(row); }
      var data = new FormData(form);
      data.delete("files");
      data.append("files", file, file.name);
      if (again) { data.append("allow_duplicate", "1"); }
      var xhr = new XMLHttpRequest();
      function done(ok) { pending = Math.max(0, pending - 1); if (notice && busy()) { showNotice(); } resolve(ok); }
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
            pending += 1;
            send(form, file, area, row).then(function (sent) { finished(sent, function () { window.location.reload(); }); });
          });
          row.querySelector(".result").appendChild(button);
        }
        done(ok);
      };
      xhr.onerror = function () { row.querySelector(".result").textContent = form.dataset.networkError || "Network error"; done(false); };
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
      if (form.dataset.sending === "1") { e.preventDefault(); return; }  // a second press sends nothing twice
      if (!chosen.length || !window.FormData) return;  // let the browser post the form itself
      e.preventDefault();
      input.required = false;
      area.innerHTML = "";
      var batch = chosen;
      form.dataset.sending = "1";
      pending += batch.length;  // counted before the first is sent: the queue is in flight too
      batch.reduce(function (p, f) { return p.then(function (all) { return send(form, f, area).then(function (ok) { return all && ok; }); }); }, Promise.resolve(true))
        .then(function (allOk) { form.dataset.sending = ""; finished(allOk, function () { window.location.hash = form.closest("section").id; window.location.reload(); }); });
    });
  });
})();
