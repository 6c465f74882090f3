/*
 * Partial updates that keep the reader's place (filters, sorting, paging, Back and Forward).
 *
 * htmx swaps the results; this script only does what htmx leaves to the page:
 * - says what changed, in a few words, in one live region that is never swapped
 *   (#live-status); the words come from the results' data-summary;
 * - keeps focus on the control used, or, when that control was replaced (a sort header,
 *   a pager link), moves it to the same control in the new results or to their heading;
 * - keeps the form and the document title in step with the address, after a swap and
 *   after Back or Forward (htmx restores the results, not the fields' values);
 * - commits a select on change by pointer, but after arrow keys only on Enter or on
 *   leaving it, so that one request and one history entry go per decision;
 * - makes a table wrapper a named, focusable region only while it actually scrolls.
 * No inline script and no hx-on: the CSP stays strict.
 */
(function () {
  "use strict";

  var NAVIGATION_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"];
  var committed = new WeakMap();
  var focusBefore = null;

  function filterSelect(element) {
    return element instanceof HTMLSelectElement && element.form && element.form.hasAttribute("data-hx-get");
  }

  function results() {
    return document.querySelector(".results-region[data-summary]");
  }

  function announce(text) {
    var region = document.getElementById("live-status");
    if (!region || !text) {
      return;
    }
    // Emptied first, so that the same words said twice are read twice.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 150);
  }

  function followTitle(box) {
    if (box && box.dataset.title) {
      var separator = document.title.indexOf(" · ");
      document.title = box.dataset.title + (separator >= 0 ? document.title.slice(separator) : "");
    }
  }

  function syncForms() {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form[data-hx-get]").forEach(function (form) {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.type === "submit") {
          return;
        }
        var value = params.get(field.name) || "";
        if (field instanceof HTMLSelectElement) {
          field.value = value;
          if (field.selectedIndex < 0) {
            field.selectedIndex = 0;
          }
          // The markup htmx keeps for Back must say the same as the field.
          Array.prototype.forEach.call(field.options, function (option) {
            option.defaultSelected = option.selected;
          });
          committed.set(field, field.value);
        } else if (field.type === "search" || field.type === "text") {
          field.value = value;
          field.defaultValue = value;
        }
      });
    });
  }

  function markScrollers() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (!box.dataset.regionLabel) {
        box.dataset.regionLabel = box.getAttribute("aria-label") || "Table";
      }
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", box.dataset.regionLabel + ", scrolls sideways");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  function heading(box) {
    return box && box.querySelector(".results-heading");
  }

  function commit(select) {
    delete select.dataset.pending;
    if (committed.get(select) === select.value) {
      return;
    }
    committed.set(select, select.value);
    window.htmx.trigger(select.form, "commit");
  }

  document.addEventListener("keydown", function (event) {
    if (!filterSelect(event.target)) {
      return;
    }
    // Arrow keys and type-ahead letters browse the options; Enter or leaving decides.
    if (NAVIGATION_KEYS.indexOf(event.key) >= 0 || (event.key.length === 1 && event.key !== " ")) {
      event.target.dataset.pending = "true";
    } else if (event.key === "Enter") {
      event.preventDefault();
      commit(event.target);
    }
  }, true);

  document.addEventListener("change", function (event) {
    if (filterSelect(event.target) && !event.target.dataset.pending) {
      commit(event.target);
    }
  }, true);

  document.addEventListener("focusout", function (event) {
    if (filterSelect(event.target) && event.target.dataset.pending) {
      commit(event.target);
    }
  }, true);

  // Empty fields stay out of the address: "?group=african", not "?seat=&group=african&sort=".
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (!data || event.detail.verb !== "get") {
      return;
    }
    var empty = [];
    data.forEach(function (value, name) {
      if (value === "") {
        empty.push(name);
      }
    });
    empty.forEach(function (name) { data.delete(name); });
  });

  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    focusBefore = active && active !== document.body ? active : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var box = results();
    if (!box || event.target !== box) {
      return;
    }
    syncForms();
    followTitle(box);
    markScrollers();
    var before = focusBefore;
    var active = document.activeElement;
    focusBefore = null;
    if (before && before.dataset.focus === "results") {
      // A pager link: the reader goes on from the top of the new page of results.
      (heading(box) || box).focus({ preventScroll: true });
      box.scrollIntoView({ block: "start" });
    } else if (!active || active === document.body) {
      // The control used was replaced: its twin in the new results (htmx finds it by id
      // when it can), else the results' heading.
      var same = before && before.id ? document.getElementById(before.id) : null;
      var next = same || heading(box);
      if (next) {
        next.focus({ preventScroll: true });
      }
    }
    announce(box.dataset.summary);
  });

  document.addEventListener("htmx:historyRestore", function () {
    var box = results();
    syncForms();
    markScrollers();
    if (box) {
      followTitle(box);
      if ((!document.activeElement || document.activeElement === document.body) && heading(box)) {
        heading(box).focus({ preventScroll: true });
      }
      announce(box.dataset.summary);
    }
  });

  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(markScrollers, 200);
  });

  function ready() {
    syncForms();
    markScrollers();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
}());
