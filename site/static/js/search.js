/* Search-as-you-type suggestions for forms marked data-search-suggest="<api url>".
   Progressive enhancement: without this script the form submits to /recherche/ as usual. */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-search-suggest]");
  Array.prototype.forEach.call(forms, function (form) {
    var input = form.querySelector("input[name=q]");
    if (!input || !window.fetch) return;
    var api = form.getAttribute("data-search-suggest");
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggest";
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentNode.insertBefore(list, input.nextSibling);
    form.appendChild(status);
    // A combobox only once suggestions can open: without this script it is a plain field.
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");
    var timer = null;
    var controller = null;
    var lastQuery = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function show(data) {
      list.textContent = "";
      (data.hits || []).forEach(function (hit) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = hit.url;
        link.textContent = hit.title; // text only: never inject HTML from results
        var kind = document.createElement("span");
        kind.className = "search-suggest-type";
        kind.textContent = " – " + (hit.type_label || hit.type);
        link.appendChild(kind);
        item.appendChild(link);
        list.appendChild(item);
      });
      var count = (data.hits || []).length;
      list.hidden = count === 0;
      input.setAttribute("aria-expanded", count ? "true" : "false");
      status.textContent = count
        ? count + " suggestion" + (count > 1 ? "s" : "") + ", flèche bas pour les parcourir"
        : "Aucune suggestion";
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < 2) { close(); return; }
      if (query === lastQuery) return;
      lastQuery = query;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(api + "?size=5&q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) { return response.ok ? response.json() : { hits: [] }; })
        .then(show)
        .catch(function () { /* offline or aborted: the form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !list.hidden) {
        var first = list.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      } else if (event.key === "Escape") {
        close();
      }
    });
    list.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var index = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && index < links.length - 1) {
        event.preventDefault(); links[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (index > 0) links[index - 1].focus(); else input.focus();
      } else if (event.key === "Escape") {
        close(); input.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
  });
})();
