// Echoes a typed date in words beside the field, and warns at once about a form like
// 12/10/2025 that reads as two different days. The server checks again on save.
(function () {
  "use strict";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];
  var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

  function parse(text) {
    var m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
    if (m) { return make(+m[1], +m[2], +m[3]); }
    m = /^\s*(?:[A-Za-z]+,?\s+)?(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})\s*$/.exec(text);
    if (m) {
      var name = m[2].toLowerCase();
      for (var i = 0; i < 12; i++) {
        if (MONTHS[i].toLowerCase() === name || (name.length >= 3 && MONTHS[i].toLowerCase().slice(0, 3) === name)) {
          return make(+m[3], i + 1, +m[1]);
        }
      }
    }
    return null;
  }

  function make(y, mo, d) {
    var date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) { return null; }
    return date;
  }

  function words(date) {
    return DAYS[date.getUTCDay()] + " " + date.getUTCDate() + " " + MONTHS[date.getUTCMonth()] + " " + date.getUTCFullYear();
  }

  function echo(input) {
    var out = document.getElementById(input.id + "-in-words");
    if (!out) { return; }
    var text = input.value;
    var date = parse(text);
    out.classList.toggle("problem", !date && text.trim() !== "");
    if (date) {
      out.textContent = words(date);
    } else if (/^\s*\d{1,2}\s*[\/.\-]\s*\d{1,2}\s*[\/.\-]\s*\d{2,4}\s*$/.test(text)) {
      out.textContent = "This can be read as two different days: write 2025-12-10 or 10 December 2025.";
    } else {
      out.textContent = text.trim() ? "Not a date yet: write 2025-12-10 or 10 December 2025." : "";
    }
    return date;
  }

  window.workbenchDates = { parse: parse };
  document.addEventListener("input", function (event) {
    if (event.target.classList && event.target.classList.contains("iso-date")) { echo(event.target); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input.iso-date").forEach(echo);
  });
})();
