// The vote grid: once the date is typed on a new event, fetch the members of that day as
// rows of radio buttons; "All in favour" fills every row, after which the few others are changed.
(function () {
  "use strict";
  var lastDay = null;

  function grid() { return document.getElementById("ballots-grid"); }

  function hasEntries(box) {
    return box.querySelector("input[type=radio]:checked") !== null;
  }

  function load(day) {
    var box = grid();
    if (!box || day === lastDay || hasEntries(box)) { return; }
    lastDay = day;
    var url = box.getAttribute("data-grid-url") + "?date=" + encodeURIComponent(day);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        if (!hasEntries(box)) { box.innerHTML = html; }
      })
      .catch(function () { lastDay = null; });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.id !== "id_date" || !window.workbenchDates) { return; }
    // A grid with no position chosen yet follows the typed day; one being filled in is kept.
    var date = window.workbenchDates.parse(input.value);
    if (date) { load(date.toISOString().slice(0, 10)); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-grid-all]");
    if (!button) { return; }
    var value = button.getAttribute("data-grid-all");
    grid().querySelectorAll("input[type=radio][value='" + value + "']").forEach(function (radio) {
      radio.checked = true;
    });
    button.form.dispatchEvent(new Event("change"));
  });
})();
