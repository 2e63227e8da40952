// Forms that protect what was typed (loaded on every page; texts come from this script tag's
// data attributes, so they follow the page's language):
// - the browser's own validation bubbles speak Thai: each invalid field gets our message;
// - the error summary takes the focus, and its links focus their field;
// - a form marked data-protect warns before the page is left with unsaved changes;
// - "produce the documents" warns when the data form above it has unsaved changes.
(function () {
  "use strict";
  var script = document.querySelector("script[data-validation]");
  var text = script ? script.dataset : {};

  function message(field) {
    var v = field.validity;
    if (v.valueMissing) {
      if (field.type === "file") { return text.requiredFile; }
      if (field.type === "checkbox" || field.type === "radio" || field.tagName === "SELECT") { return text.requiredChoice; }
      return text.required;
    }
    if (v.typeMismatch) { return field.type === "email" ? text.email : text.url; }
    if (v.badInput) { return field.type === "number" ? text.number : text.invalid; }
    if (v.rangeUnderflow) { return (text.min || "").replace("%s", field.min); }
    if (v.rangeOverflow) { return (text.max || "").replace("%s", field.max); }
    if (v.tooLong) { return (text.tooLong || "").replace("%s", field.maxLength); }
    if (v.stepMismatch) { return text.step; }
    return text.invalid;
  }
  document.addEventListener("invalid", function (event) {
    var field = event.target;
    field.setCustomValidity("");
    if (!field.validity.valid) { field.setCustomValidity(message(field) || ""); }
  }, true);
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target.setCustomValidity) { event.target.setCustomValidity(""); }
    }, true);
  });

  // The error summary.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[data-field]");
    if (!link) { return; }
    var field = document.getElementById(link.dataset.field);
    if (field) { event.preventDefault(); field.scrollIntoView({block: "center"}); field.focus(); }
  });

  // Unsaved changes.
  function state(form) {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") { return; }
      if (el.type === "checkbox" || el.type === "radio") { parts.push(el.name + "=" + el.checked); }
      else if (el.type === "file") { parts.push(el.name + "=" + Array.prototype.map.call(el.files, function (f) { return f.name; }).join(",")); }
      else { parts.push(el.name + "=" + el.value); }
    });
    return parts.join("&");
  }
  var protectedForms = Array.prototype.slice.call(document.querySelectorAll("form[data-protect]"));
  var leaving = false;
  protectedForms.forEach(function (form) {
    form.dataset.initial = state(form);
    form.addEventListener("submit", function () { leaving = true; });
  });
  function dirty(form) { return form.dataset.initial !== undefined && state(form) !== form.dataset.initial; }
  window.addEventListener("beforeunload", function (event) {
    if (leaving) { return; }
    if (protectedForms.some(dirty)) { event.preventDefault(); event.returnValue = ""; }
  });

  // "Produce the documents" with unsaved data: say so, offer to save first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var data = document.querySelector("form[data-protect].report-form");
    if (!form.closest(".job-status") || !data || !dirty(data) || form.dataset.confirmed === "1") { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    var box = form.parentNode.querySelector(".unsaved-warning");
    if (box) { box.querySelector("button").focus(); return; }
    box = document.createElement("div");
    box.className = "alert alert-warning small unsaved-warning";
    box.setAttribute("role", "alert");
    var words = document.createElement("p");
    words.className = "mb-2";
    words.textContent = text.unsavedDocuments;
    var save = document.createElement("button");
    save.type = "button";
    save.className = "btn btn-sm btn-primary me-2";
    save.textContent = text.saveFirst;
    save.addEventListener("click", function () { leaving = true; data.requestSubmit(); });
    var anyway = document.createElement("button");
    anyway.type = "button";
    anyway.className = "btn btn-sm btn-outline-secondary";
    anyway.textContent = text.produceAnyway;
    anyway.addEventListener("click", function () { form.dataset.confirmed = "1"; box.remove(); form.requestSubmit(); });
    box.appendChild(words); box.appendChild(save); box.appendChild(anyway);
    form.parentNode.insertBefore(box, form);
    save.focus();
  }, true);
})();
