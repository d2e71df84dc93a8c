/* Live chat room: connects to /ws/chat/<slug>/ and takes over the page's forms.
 *
 * Without JavaScript (or while the socket is down) the page works as plain HTML forms.
 * Every message is keyed by its id: whatever arrives twice (history, sync, broadcast) is
 * shown once, in id order. After a drop the client reconnects with exponential back-off and
 * jitter, then asks for everything after the last id it holds and for the edits and
 * deletions after the last revision it has applied (the page's, then each sync answer's);
 * when that revision is older than the server's log, the answer replaces the list.
 * A socket closed because its member signed out or lost access (4401, 4403) stays closed.
 * Bodies are inserted as text (textContent, textarea.value), never as HTML.
 */
(function () {
  "use strict";

  var root = document.getElementById("chat");
  if (!root || root.dataset.paged || !("WebSocket" in window)) return;

  var SYNC_LIMIT = 200; // services.SYNC_LIMIT: a full batch means there is more to fetch
  var BACKOFF_BASE_MS = 1000;
  var BACKOFF_MAX_MS = 30000;
  // Close codes of a socket whose member lost their rights (consumers.py).
  var REVOKED = {
    4401: "Vous n'êtes plus connecté·e : reconnectez-vous pour reprendre la discussion.",
    4403: "Vous n'avez plus accès à ce salon.",
  };

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
  // As the server writes it (community.lib.formats): « 1er décembre, 18 h 05 », Paris time.
  var timeParts = new Intl.DateTimeFormat("fr-FR", {
    day: "numeric", month: "long", hour: "numeric", minute: "2-digit",
    hourCycle: "h23", timeZone: "Europe/Paris",
  });
  function frenchMoment(date) {
    var p = {};
    timeParts.formatToParts(date).forEach(function (part) { p[part.type] = part.value; });
    var day = p.day === "1" ? "1er" : p.day;
    return day + " " + p.month + ", " + Number(p.hour) + " h " + p.minute;
  }

  var items = new Map(); // id -> <li>
  var deleted = new Set();
  var lastId = Number(root.dataset.lastId) || 0;
  var revision = Number(root.dataset.revision) || 0;
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
    time.textContent = frenchMoment(new Date(m.created));
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

  function applyEdit(m) {
    // A message this page does not show (older than its first one) stays out of it.
    var li = items.get(m.id);
    if (li) setBody(li, m);
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

  function replaceAll(messages) {
    // The server no longer logs edits and deletions as far back as this page's revision
    // (after 30 days): what it shows may be stale, the latest messages replace it.
    items.forEach(function (li) { li.remove(); });
    items.clear();
    deleted.clear();
    messages.forEach(upsert);
    var older = document.querySelector(".chat-older");
    if (older && messages.length) older.href = "?avant=" + messages[0].id;
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
        if (frame.reset) replaceAll(frame.messages);
        else frame.messages.forEach(upsert);
        // Only the answer to a sync carries a revision: the edits and deletions before it
        // have all been sent, just before it.
        if (typeof frame.revision === "number") revision = Math.max(revision, frame.revision);
        if (frame.messages.length >= SYNC_LIMIT) {
          send({ type: "sync", after: frame.messages[frame.messages.length - 1].id, since: revision });
        }
        break;
      case "message":
        upsert(frame);
        break;
      case "edited":
        applyEdit(frame);
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
      // one held here too, and for what was edited or deleted while the socket was down.
      send({ type: "sync", after: resumeFrom, since: revision });
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
    socket.addEventListener("close", function (event) {
      socket = null;
      if (event.code in REVOKED) {
        // Signed out, deactivated or no longer allowed here: retrying cannot help, and a
        // message sent just before was refused, not stored: give it back.
        if (pendingBody && !textarea.value) textarea.value = pendingBody;
        pendingBody = "";
        setStatus(REVOKED[event.code], true);
        return;
      }
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
        event.preventDefault();
        openEditor(li, id, edit);
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

  // Editing in place: the body gives way to a labelled form until saved or cancelled.
  function openEditor(li, id, link) {
    if (li.querySelector(".chat-edit-form")) return;
    var body = li.querySelector(".chat-body");
    var actions = li.querySelector(".chat-actions");
    var editor = document.createElement("form");
    editor.className = "form chat-edit-form";
    editor.method = "post"; // with the socket down, a plain POST to the edit page
    editor.action = link.href;
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = csrf;
    var label = document.createElement("label");
    label.htmlFor = "chat-edit-" + id;
    label.textContent = "Modifier votre message";
    var field = document.createElement("textarea");
    field.id = label.htmlFor;
    field.name = "body";
    field.rows = 3;
    field.required = true;
    if (textarea.maxLength > 0) field.maxLength = textarea.maxLength;
    field.value = body.textContent;
    var buttons = document.createElement("div");
    buttons.className = "button-group";
    var save = document.createElement("button");
    save.type = "submit";
    save.textContent = "Enregistrer";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary";
    cancel.textContent = "Annuler";
    buttons.append(save, " ", cancel);
    editor.append(token, label, field, buttons);
    body.hidden = true;
    actions.hidden = true;
    body.after(editor);
    field.focus();

    function close() {
      editor.remove();
      body.hidden = false;
      actions.hidden = false;
      link.focus();
    }
    cancel.addEventListener("click", close);
    editor.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    editor.addEventListener("submit", function (event) {
      if (field.value !== body.textContent && !send({ type: "edit", id: id, body: field.value })) {
        return; // socket down: the form posts to the edit page
      }
      event.preventDefault();
      showError("");
      close(); // the "edited" frame brings the new text to every page, this one included
    });
  }

  // For the browser tests: drop the socket as a flaky village connection would.
  window.milleCafesChat = {
    drop: function () { if (socket) socket.close(); },
  };

  list.scrollTop = list.scrollHeight;
  connect();
})();
