// Autocompletion of mentions in the forum's post form (see forum/_mentions_js.html).
(function () {
  var area = document.querySelector("textarea[data-mention-source]");
  if (!area || !window.fetch) return;
  var list = document.createElement("ul");
  list.className = "mention-suggestions";
  list.id = area.id + "-mentions";
  list.setAttribute("aria-label", "Membres à mentionner");
  list.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  area.insertAdjacentElement("afterend", status);
  area.insertAdjacentElement("afterend", list);
  var timer;
  function typed() {
    var before = area.value.slice(0, area.selectionStart);
    var match = /@\[([^\[\]\n]{2,80})$/.exec(before);
    return match ? match[1] : null;
  }
  function hide() { list.hidden = true; list.textContent = ""; }
  function choose(member) {
    var start = area.selectionStart;
    var before = area.value.slice(0, start).replace(/@\[[^\[\]\n]*$/, member.mention + " ");
    area.value = before + area.value.slice(start);
    area.selectionStart = area.selectionEnd = before.length;
    hide();
    status.textContent = member.name + " sera mentionné·e.";
    area.focus();
  }
  area.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !list.hidden) { hide(); event.preventDefault(); }
  });
  area.addEventListener("input", function () {
    clearTimeout(timer);
    var query = typed();
    if (!query) { hide(); return; }
    timer = setTimeout(function () {
      var url = new URL(area.dataset.mentionSource, window.location.href);
      url.searchParams.set("q", query);
      fetch(url, {credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          list.textContent = "";
          data.members.forEach(function (member) {
            var item = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.className = "link";
            button.textContent = member.name;
            if (member.detail) {
              var detail = document.createElement("span");
              detail.className = "mention-detail";
              detail.textContent = " – " + member.detail;
              button.appendChild(detail);
            }
            button.addEventListener("click", function () { choose(member); });
            item.appendChild(button);
            list.appendChild(item);
          });
          list.hidden = data.members.length === 0;
          var count = data.members.length;
          status.textContent = count ? count + (count > 1 ? " membres proposés" : " membre proposé") + " sous le champ." : "";
        });
    }, 200);
  });
})();
