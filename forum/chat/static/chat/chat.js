/* Live chat room: connects to /ws/chat/<slug>/ and takes over the page's forms.
 *
 * Without JavaScript (or while the socket is down) the page works as plain HTML forms.
 * Every message is keyed by its id: whatever arrives twice (history, sync, broadcast) is
 * shown once, in id order. After a drop the client reconnects with exponential back-off and
 * jitter, then asks for everything after the last id it holds. Bodies are inserted as text
 * (textContent), never as HTML.
 */
(function () {
  "use strict";

  var root = document.getElementById("chat");
  if (!root || root.dataset.paged || !("WebSocket" in window)) return;

  var SYNC_LIMIT = 200; // services.SYNC_LIMIT: a full batch means there is more to fetch
  var BACKOFF_BASE_MS = 1000;
  var BACKOFF_MAX_MS = 30000;

  var slug = root.dataset.room;
  var userId = Number(root.dataset.userId);
  var isStaff = root.dataset.staff === "1";
  var list = document.getElementById("chat-messages");
  var status = document.getElementById("chat-status");
  var presenceList = document.getElementById("chat-presence");
  var form = document.getElementById("chat-form");
  var textarea = form.querySelector("textarea");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/chat/" + slug + "/";
  var timeFormat = new Intl.DateTimeFormat("fr-FR", {
    day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
  });

  var items = new Map(); // id -> <li>
  var deleted = new Set();
  var lastId = Number(root.dataset.lastId) || 0;
  var socket = null;
  var opened = false; // has any socket of this page ever opened?
  var attempt = 0;
  var pendingBody = "";
  var errorBox = document.createElement("p");
  errorBox.className = "error";
  errorBox.setAttribute("role", "alert");
  errorBox.hidden = true;
  form.appendChild(errorBox);

  list.querySelectorAll("li[data-id]").forEach(function (li) {
    items.set(Number(li.dataset.id), li);
    wire(li);
  });

  function setStatus(text, offline) {
    status.textContent = text;
    status.classList.toggle("chat-offline", Boolean(offline));
  }

  function showError(text) {
    errorBox.textContent = text ? "⚠ Erreur : " + text : "";
    errorBox.hidden = !text;
  }

  function send(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function atBottom() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }

  function actionUrl(id, action) {
    return "/chat/" + slug + "/messages/" + id + "/" + action + "/";
  }

  function buildItem(m) {
    var li = document.createElement("li");
    li.className = "chat-message" + (m.author.id === userId ? " chat-mine" : "");
    li.id = "message-" + m.id;
    li.dataset.id = String(m.id);
    li.dataset.authorId = String(m.author.id);
    var meta = document.createElement("p");
    meta.className = "chat-meta";
    var author = document.createElement("strong");
    author.className = "chat-author";
    author.textContent = m.author.name;
    var time = document.createElement("time");
    time.dateTime = m.created;
    time.textContent = timeFormat.format(new Date(m.created));
    meta.append(author, " ", time);
    var body = document.createElement("p");
    body.className = "chat-body";
    li.append(meta, body);
    if (m.author.id === userId || isStaff) {
      var actions = document.createElement("div");
      actions.className = "chat-actions";
      if (m.author.id === userId) {
        var edit = document.createElement("a");
        edit.className = "chat-edit";
        edit.href = actionUrl(m.id, "modifier");
        edit.append("Modifier", hidden(" ce message"));
        actions.append(edit);
      }
      var del = document.createElement("form");
      del.className = "chat-delete";
      del.method = "post";
      del.action = actionUrl(m.id, "supprimer");
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrf;
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "secondary";
      button.append("Supprimer", hidden(" ce message"));
      del.append(token, button);
      actions.append(del);
      li.append(actions);
    }
    wire(li);
    return li;
  }

  function hidden(text) {
    var span = document.createElement("span");
    span.className = "visually-hidden";
    span.textContent = text;
    return span;
  }

  function setBody(li, m) {
    li.querySelector(".chat-body").textContent = m.body;
    if (m.edited && !li.querySelector(".chat-edited")) {
      var mark = document.createElement("span");
      mark.className = "chat-edited";
      mark.textContent = "(modifié)";
      li.querySelector(".chat-meta").append(" ", mark);
    }
  }

  function upsert(m) {
    if (deleted.has(m.id)) return;
    lastId = Math.max(lastId, m.id);
    var li = items.get(m.id);
    if (li) {
      setBody(li, m);
      return;
    }
    li = buildItem(m);
    setBody(li, m);
    items.set(m.id, li);
    var empty = list.querySelector(".chat-empty");
    if (empty) empty.remove();
    // Keep id order: a sync may deliver a message older than the newest one shown.
    var next = null;
    for (var node = list.lastElementChild; node; node = node.previousElementSibling) {
      if (Number(node.dataset.id) > m.id) next = node;
      else break;
    }
    list.insertBefore(li, next);
  }

  function remove(id) {
    deleted.add(id);
    var li = items.get(id);
    if (li) li.remove();
    items.delete(id);
  }

  function showPresence(members) {
    presenceList.replaceChildren();
    members.forEach(function (member) {
      var li = document.createElement("li");
      li.textContent = member.name;
      presenceList.append(li);
    });
    if (!members.length) {
      var nobody = document.createElement("li");
      nobody.className = "chat-nobody";
      nobody.textContent = "Personne pour le moment.";
      presenceList.append(nobody);
    }
  }

  function onFrame(frame) {
    var follow = atBottom();
    switch (frame.type) {
      case "history":
        frame.messages.forEach(upsert);
        if (frame.messages.length >= SYNC_LIMIT) {
          send({ type: "sync", after: frame.messages[frame.messages.length - 1].id });
        }
        break;
      case "message":
        upsert(frame);
        break;
      case "edited":
        upsert(frame);
        break;
      case "deleted":
        remove(frame.id);
        break;
      case "presence":
        showPresence(frame.members);
        break;
      case "error":
        showError(frame.message);
        if (pendingBody && !textarea.value) textarea.value = pendingBody;
        pendingBody = "";
        return;
    }
    if (follow) list.scrollTop = list.scrollHeight;
  }

  function connect() {
    var resumeFrom = lastId;
    socket = new WebSocket(url);
    socket.addEventListener("open", function () {
      var reconnected = opened;
      opened = true;
      attempt = 0;
      setStatus(reconnected ? "Reconnecté." : "Connecté : les messages arrivent en direct.");
      // The server sends the last messages on connect; ask for everything since the last
      // one held here too, in case more were posted while the socket was down.
      send({ type: "sync", after: resumeFrom });
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      onFrame(frame);
    });
    socket.addEventListener("close", function () {
      socket = null;
      // Exponential back-off with jitter: after a server restart, clients do not all
      // come back in the same instant.
      var delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * Math.pow(2, attempt));
      delay = Math.round(delay / 2 + Math.random() * delay / 2);
      attempt += 1;
      setStatus("Connexion perdue. Nouvelle tentative dans " + Math.ceil(delay / 1000) + " s ; le formulaire reste utilisable.", true);
      setTimeout(connect, delay);
    });
  }

  form.addEventListener("submit", function (event) {
    var body = textarea.value;
    if (!send({ type: "message", body: body })) return; // socket down: plain POST
    event.preventDefault();
    showError("");
    pendingBody = body;
    textarea.value = "";
    textarea.focus();
  });

  function wire(li) {
    var id = Number(li.dataset.id);
    var edit = li.querySelector(".chat-edit");
    if (edit) {
      edit.addEventListener("click", function (event) {
        if (!socket || socket.readyState !== WebSocket.OPEN) return; // the edit page
        var current = li.querySelector(".chat-body").textContent;
        var body = window.prompt("Modifier votre message :", current);
        event.preventDefault();
        if (body !== null && body !== current) send({ type: "edit", id: id, body: body });
      });
    }
    var del = li.querySelector(".chat-delete");
    if (del) {
      del.addEventListener("submit", function (event) {
        if (!socket || socket.readyState !== WebSocket.OPEN) return; // plain POST
        event.preventDefault();
        if (window.confirm("Supprimer ce message ?")) send({ type: "delete", id: id });
      });
    }
  }

  // For the browser tests: drop the socket as a flaky village connection would.
  window.milleCafesChat = {
    drop: function () { if (socket) socket.close(); },
  };

  list.scrollTop = list.scrollHeight;
  connect();
})();
