// The state picker of a statement asks for the Council's members of the event's day only
// when the speaker spoke as a member (or as President); otherwise it ranks them first.
(function () {
  "use strict";
  var MEMBER_CAPACITIES = ["member", "president"];

  function searchUrl(stateSelect) {
    var base = (stateSelect.getAttribute("data-ajax--url") || "").split("?")[0];
    var params = new URLSearchParams();
    var dateInput = document.getElementById("id_date");
    var day = dateInput && window.workbenchDates ? window.workbenchDates.parse(dateInput.value) : null;
    if (day) { params.set("day", day.toISOString().slice(0, 10)); }
    var capacity = document.getElementById(stateSelect.id.replace(/-state$/, "-capacity"));
    if (day && capacity && MEMBER_CAPACITIES.indexOf(capacity.value) !== -1) { params.set("members", "1"); }
    var query = params.toString();
    return query ? base + "?" + query : base;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var $ = window.django && window.django.jQuery;
    if (!$) { return; }
    $(document).on("select2:opening", "select[name^='statements-'][name$='-state']", function () {
      var select2 = $(this).data("select2");
      if (select2 && select2.dataAdapter && select2.dataAdapter.ajaxOptions) {
        select2.dataAdapter.ajaxOptions.url = searchUrl(this);
      }
    });
  });
})();
