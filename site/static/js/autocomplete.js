/*
 * Suggestions for place inputs: every input[data-autocomplete-url] becomes an ARIA 1.2
 * combobox with a listbox popup (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/).
 *
 * Progressive enhancement: without this script the plain text input still works, because
 * the server resolves whatever is typed. Choosing a suggestion only writes its label into
 * the input, and the label is exactly what the form field resolves.
 *
 * The endpoint answers GET ?q=… with {"results": [{"label": "…", "detail": "…"}]}.
 */
(function () {
  "use strict";

  // The script may be included by several forms on one page.
  if (window.placeAutocompleteLoaded) {
    return;
  }
  window.placeAutocompleteLoaded = true;

  var MIN_CHARS = 2;
  var DEBOUNCE_MS = 250;
  var counter = 0;

  function plural(count) {
    if (count === 0) {
      return "Aucune suggestion.";
    }
    var noun = count === 1 ? "1 suggestion" : count + " suggestions";
    return noun + ", flèches haut et bas pour parcourir, Entrée pour choisir.";
  }

  function Combobox(input) {
    counter += 1;
    var base = (input.id || "autocomplete-" + counter) + "-suggestions";
    this.input = input;
    this.url = input.getAttribute("data-autocomplete-url");
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    this.lastQuery = null;

    var wrapper = document.createElement("div");
    wrapper.className = "autocomplete";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);

    this.list = document.createElement("ul");
    this.list.id = base;
    this.list.className = "autocomplete-list";
    this.list.setAttribute("role", "listbox");
    this.list.hidden = true;
    var labels = input.labels && input.labels.length ? input.labels[0] : null;
    if (labels) {
      labels.id = labels.id || base + "-label";
      this.list.setAttribute("aria-labelledby", labels.id);
    } else {
      this.list.setAttribute("aria-label", "Suggestions");
    }
    wrapper.appendChild(this.list);

    // Announced by screen readers without moving focus.
    this.status = document.createElement("div");
    this.status.className = "autocomplete-status";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    wrapper.appendChild(this.status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);

    input.addEventListener("input", this.onInput.bind(this));
    input.addEventListener("keydown", this.onKeydown.bind(this));
    input.addEventListener("blur", this.close.bind(this));
    // mousedown would blur the input before the click lands on the option.
    this.list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    this.list.addEventListener("click", this.onClick.bind(this));
  }

  Combobox.prototype.onInput = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () {
      self.fetch();
    }, DEBOUNCE_MS);
  };

  Combobox.prototype.fetch = function () {
    var query = this.input.value.trim();
    if (query.length < MIN_CHARS) {
      this.lastQuery = null;
      this.render([]);
      this.close();
      return;
    }
    if (query === this.lastQuery) {
      this.open();
      return;
    }
    if (this.request) {
      this.request.abort();
    }
    var controller = new AbortController();
    var self = this;
    var url = new URL(this.url, window.location.href);
    url.searchParams.set("q", query);
    this.request = controller;
    window
      .fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        self.lastQuery = query;
        self.render(data.results || []);
        self.status.textContent = plural(self.results.length);
        if (document.activeElement === self.input) {
          self.open();
        }
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          self.lastQuery = null;
          self.render([]);
          self.close();
          self.status.textContent = "Suggestions indisponibles : tapez le nom complet.";
        }
      });
  };

  Combobox.prototype.render = function (results) {
    this.results = results;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.textContent = "";
    for (var index = 0; index < results.length; index += 1) {
      var option = document.createElement("li");
      option.id = this.list.id + "-" + index;
      option.className = "autocomplete-option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      var label = document.createElement("span");
      label.className = "autocomplete-label";
      label.textContent = results[index].label;
      option.appendChild(label);
      if (results[index].detail) {
        var detail = document.createElement("span");
        detail.className = "autocomplete-detail";
        detail.textContent = results[index].detail;
        option.appendChild(detail);
      }
      this.list.appendChild(option);
    }
  };

  Combobox.prototype.isOpen = function () {
    return !this.list.hidden;
  };

  Combobox.prototype.open = function () {
    if (this.results.length === 0) {
      this.close();
      return;
    }
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    window.clearTimeout(this.timer);
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.highlight(-1);
  };

  Combobox.prototype.highlight = function (index) {
    var options = this.list.children;
    if (this.active >= 0 && options[this.active]) {
      options[this.active].classList.remove("is-active");
      options[this.active].setAttribute("aria-selected", "false");
    }
    this.active = index;
    if (index < 0 || !options[index]) {
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    options[index].classList.add("is-active");
    options[index].setAttribute("aria-selected", "true");
    options[index].scrollIntoView({ block: "nearest" });
    this.input.setAttribute("aria-activedescendant", options[index].id);
  };

  Combobox.prototype.move = function (step) {
    if (!this.isOpen()) {
      this.fetch();
      return;
    }
    var count = this.results.length;
    if (count === 0) {
      return;
    }
    var next = this.active + step;
    // Past either end, focus returns to the text itself, as in the APG example.
    if (next >= count || next < -1) {
      next = step > 0 ? -1 : count - 1;
    }
    this.highlight(next);
  };

  Combobox.prototype.choose = function (index) {
    var result = this.results[index];
    if (!result) {
      return;
    }
    this.input.value = result.label;
    this.lastQuery = result.label;
    this.close();
    this.status.textContent = result.label + " choisi.";
    // Forms that track changes (the Wagtail admin warns about unsaved edits) listen to it.
    this.input.dispatchEvent(new Event("change", { bubbles: true }));
  };

  Combobox.prototype.onKeydown = function (event) {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (event.altKey) {
          this.fetch();
        } else {
          this.move(1);
        }
        break;
      case "ArrowUp":
        event.preventDefault();
        this.move(-1);
        break;
      case "Enter":
        // Without a highlighted option Enter submits the form, as in a plain input.
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.choose(this.active);
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        }
        break;
      case "Tab":
        if (this.isOpen() && this.active >= 0) {
          this.choose(this.active);
        } else {
          this.close();
        }
        break;
      default:
        break;
    }
  };

  Combobox.prototype.onClick = function (event) {
    var option = event.target.closest(".autocomplete-option");
    if (option) {
      this.choose(Number(option.getAttribute("data-index")));
    }
  };

  function enhance(root) {
    var inputs = root.querySelectorAll("input[data-autocomplete-url]:not([role=combobox])");
    for (var index = 0; index < inputs.length; index += 1) {
      new Combobox(inputs[index]);
    }
  }

  function start() {
    enhance(document);
    // Forms inserted later (Wagtail panels, modals, htmx swaps) get the same behaviour.
    new MutationObserver(function (mutations) {
      for (var index = 0; index < mutations.length; index += 1) {
        var added = mutations[index].addedNodes;
        for (var node = 0; node < added.length; node += 1) {
          if (added[node].nodeType === Node.ELEMENT_NODE) {
            enhance(added[node].parentNode || added[node]);
          }
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
