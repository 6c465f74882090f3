// Asks before leaving an edit page whose form has unsaved changes; saving does not ask.
(function () {
  "use strict";
  var dirty = false;
  var submitting = false;
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("#content-main form[method=post]");
    if (!form || !document.body.classList.contains("change-form")) { return; }
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  });
})();
