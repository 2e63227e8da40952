// "Add a row" for the report formsets: clones the empty form, numbers it and counts it in
// TOTAL_FORMS. Without JavaScript the page still offers blank rows to fill in.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".formset-add");
    if (!button) { return; }
    var formset = button.closest(".formset");
    var prefix = formset.dataset.prefix;
    var total = formset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = formset.querySelector("template.formset-empty");
    var index = parseInt(total.value, 10);
    var wrapper = document.createElement("div");
    wrapper.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var added = wrapper.firstElementChild;
    formset.querySelector(".formset-forms").appendChild(added);
    total.value = String(index + 1);
    var first = added.querySelector("input, textarea, select");
    if (first) { first.focus(); }
  });
})();
