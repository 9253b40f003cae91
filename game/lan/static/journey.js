// 3,500 Miles: a student's own journey (class journeys, issue 19).
// The page only shows what the teacher's laptop sends and sends back a choice index with the
// step it was shown at; every rule, number and word comes from the game. Text is set with
// textContent only (story text is never parsed as HTML). docs/lan.md lists every message.
"use strict";
(function () {
  var KEY = "escape-route-journey";
  var SVG = "http://www.w3.org/2000/svg";
  var $ = function (id) { return document.getElementById(id); };
  var saved = load();
  var ws = null, page = null, cls = { paused: false, prompt: null, ended: false, undo: false, nicknames: false };
  var map = null, busy = false, retryTimer = null, delay = 500, stopped = false, lastNode = "";
  // closed: the teacher's laptop closed the room (it stopped its server); the page keeps trying, quietly.
  var closed = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function store() {
    try { window.localStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* private mode: memory only */ }
  }
  function text(el, words) { el.textContent = words == null ? "" : String(words); }
  function el(tag, cls_, words) {
    var node = document.createElement(tag);
    if (cls_) node.className = cls_;
    if (words != null) node.textContent = String(words);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function connection(words, ok) {
    var c = $("connection");
    text(c, words);
    c.className = "connection " + (ok ? "ok" : "problem");
  }

  // ------------------------------------------------------------------ the connection
  function connect() {
    clearTimeout(retryTimer);
    if (stopped) return;
    var socket;
    try { socket = new WebSocket("ws://" + window.location.host + "/ws"); } catch (e) { retry(); return; }
    ws = socket;
    socket.onopen = function () {
      delay = 500;
      if (saved.token || saved.code) join();
      else { connection(t("Connected"), true); showJoin(); }
    };
    socket.onmessage = function (event) {
      var msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      receive(msg);
    };
    socket.onclose = function (event) {
      if (ws !== socket) return;
      ws = null;
      busy = false;
      if (stopped) return;
      if (event.code === 1013) {          // refused as full (too many devices, or from this address): say so, stop
        showJoin();
        text($("join-error"), t("The room is full. Ask your teacher, then try again."));
        connection(t("Not connected: the room is full."), false);
        return;
      }
      if (event.code === 1001 && /stopped/.test(event.reason || "")) closed = true;   // the server stopped
      if (closed) {
        var words = t("Your teacher's laptop has closed the room. Your journey is kept: it comes back here when the room opens again.");
        connection(words, false);
        delay = 5000;                     // keep trying, quietly: a resumed session lets her straight back in
      } else {
        connection(t("Connection lost: trying again…"), false);
      }
      retry();
    };
  }
  function retry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, 5000);
  }
  // Where she is not connected and no attempt is under way (refused, the room full): the status says nothing,
  // so only the reason beside the form is read (never a red "Connecting…" beside it).
  function idle() { connection("", false); }
  function send(message) {
    if (ws && ws.readyState === 1) { ws.send(JSON.stringify(message)); return true; }
    return false;
  }
  function join() {
    var message = { type: "join", code: saved.code || "0" };
    if (saved.token) message.token = saved.token;
    send(message);
  }

  function receive(msg) {
    if (msg.type === "welcome") {
      saved.token = msg.token;
      store();
      map = msg.map || null;
      closed = false;
      connection(t("Connected"), true);
      $("join").hidden = true;
      if (msg.note && msg.note.length && saved.noted !== msg.token) showNote(msg.note, msg.token);
      else $("play").hidden = false;
    } else if (msg.type === "class") {
      applyClass(msg);
    } else if (msg.type === "page") {
      busy = false;
      render(msg);
    } else if (msg.type === "refused") {
      refused(msg);
    } else if (msg.type === "full") {
      // the close (code 1013) that follows says it
    } else if (msg.type === "nickname") {
      text($("name-saved"), msg.name ? t("Saved: your teacher sees “{name}”.", { name: msg.name }) : t("No nickname."));
    }
  }

  function refused(msg) {
    var words = {
      "wrong-code": t("That is not the room code. Check the four digits on the projector."),
      "too-many-tries": tn("Too many wrong codes. Wait {n} second, then try again.",
                           "Too many wrong codes. Wait {n} seconds, then try again.", msg.retry_after || 60),
      "locked": t("The room is locked: your teacher is not letting new students in now."),
      "ended": t("This session has ended."),
      "full": t("The room is full. Ask your teacher."),
      "unsaved": t("The teacher's laptop could not save your journey. Ask your teacher.")
    }[msg.reason] || t("The room did not let this page in.");
    if (saved.token && msg.reason === "wrong-code") {
      // A page from another session (its token unknown here): start again with the code on the projector.
      delete saved.token;
    }
    delete saved.code;
    store();
    showJoin();
    idle();
    text($("join-error"), words);
    $("code").setAttribute("aria-invalid", "true");
  }

  // The story's content note, before her first page: read, then one tap goes on (once per journey).
  function showNote(paragraphs, token) {
    var box = $("note-text");
    clear(box);
    paragraphs.forEach(function (para) { box.appendChild(el("p", null, para)); });
    $("note").hidden = false;
    $("play").hidden = true;
    $("note-heading").focus();
    $("note-go").onclick = function () {
      saved.noted = token;
      store();
      $("note").hidden = true;
      $("play").hidden = false;
      $("title").focus();
    };
  }

  function showJoin() {
    $("join").hidden = false;
    $("play").hidden = true;
    $("note").hidden = true;
    var code = window.location.hash.replace(/[^0-9]/g, "").slice(0, 4);
    if (code && !$("code").value) $("code").value = code;
  }

  // ------------------------------------------------------------------ the class: pause, prompt, end
  function applyClass(state) {
    cls = state;
    $("paused").hidden = !state.paused;
    $("over").hidden = !state.ended;
    $("prompt").hidden = !state.prompt;
    text($("prompt-text"), state.prompt || "");
    $("name-section").hidden = !state.nicknames;
    // Paused: the passage takes no input at all ("Eyes on the board"). Ended: it stays readable (her ending and
    // its debrief), only the choices and the undo are closed (renderControls).
    $("passage").inert = !!state.paused;
    if (state.paused) say(t("Eyes on the board: your teacher has paused the class."));
    else if (state.ended) say(t("The session has ended."));
    else if (state.prompt) say(t("To discuss: {prompt}", { prompt: state.prompt }));
    if (page) renderControls();
  }

  function say(words) {
    var live = $("changed");
    text(live, "");
    window.setTimeout(function () { text(live, words); }, 50);
  }

  // ------------------------------------------------------------------ her page
  function render(p) {
    var fresh = !page || p.node !== page.node || p.step !== page.step;
    page = p;
    // "Chapter 3: China · Yanji" (the place is left out where the chapter has its name).
    var chapter = p.chapter_number ? t("Chapter {number}: {chapter}", { number: p.chapter_number, chapter: p.chapter })
      : p.chapter;
    var where = [chapter, p.place === p.chapter ? "" : p.place].filter(Boolean).join(" · ");
    text($("where"), where);
    text($("title"), p.title || "");
    var body = $("text");
    clear(body);
    (p.paragraphs || []).forEach(function (para) { body.appendChild(el("p", null, para)); });
    renderChoices(p);
    renderEnding(p.ending);
    renderStatus(p);
    renderJournal(p.journal || []);
    renderMap(p.route || [], p.place);
    renderControls();
    if (fresh && lastNode) {
      say([p.changed, t("Now: {title}", { title: p.title || "" })].filter(Boolean).join(" "));
      $("title").focus();
    } else if (p.status && p.status !== "ok" && p.status !== "stale") {
      say({ paused: t("The class is paused."), ended: t("The session has ended."),
            closed: t("That choice is not possible now."), "no-undo": t("That choice cannot be undone."),
            unsaved: t("The teacher's laptop could not save that choice, so it was not taken. Ask your teacher.")
          }[p.status] || "");
    }
    lastNode = p.node + ":" + p.step;
  }

  function renderChoices(p) {
    var list = $("choices");
    clear(list);
    $("choosing").hidden = !!p.ending;
    (p.choices || []).forEach(function (c, i) {
      var li = el("li");
      var button = el("button", "choice" + (c.available ? "" : " closed"));
      button.type = "button";
      button.setAttribute("data-index", String(c.index));
      button.appendChild(el("span", "number", String(i + 1)));
      var words = el("span", "words");
      words.appendChild(el("span", "what", c.text));
      if (c.available) {
        if (c.costs && c.costs.length) {
          var costs = el("span", "costs");
          c.costs.forEach(function (cost, k) {
            var tone = cost.good === true ? "good" : cost.good === false ? "bad" : "neutral";
            costs.appendChild(el("span", "cost " + tone, cost.text + (k < c.costs.length - 1 ? " ·" : "")));
            costs.appendChild(document.createTextNode(" "));
          });
          words.appendChild(costs);
        }
        if (c.risk) words.appendChild(el("span", "risk", c.risk));
      } else {
        words.appendChild(el("span", "reason", t("Not possible: {reason}", { reason: c.reason })));
        button.setAttribute("aria-disabled", "true");
      }
      button.appendChild(words);
      button.addEventListener("click", function () { choose(c); });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  function renderControls() {
    var still = cls.paused || cls.ended || busy;
    Array.prototype.forEach.call($("choices").querySelectorAll("button"), function (b) {
      var closed = b.classList.contains("closed");
      if (closed || still) b.setAttribute("aria-disabled", "true");
      else b.removeAttribute("aria-disabled");
    });
    $("undo").hidden = !(page && page.can_undo);
    if (still) $("undo").setAttribute("aria-disabled", "true");
    else $("undo").removeAttribute("aria-disabled");
  }

  function choose(c) {
    if (!page || !c.available || busy || cls.paused || cls.ended) return;
    if (send({ type: "choose", step: page.step, choice: c.index })) { busy = true; renderControls(); }
  }

  function undo() {
    if (!page || !page.can_undo || busy || cls.paused || cls.ended) return;
    if (send({ type: "undo", step: page.step })) { busy = true; renderControls(); }
  }

  function renderEnding(ending) {
    $("ending").hidden = !ending;
    if (!ending) return;
    text($("ending-kind"), t("The end · {kind}", { kind: ending.kind_label }));
    text($("ending-heading"), ending.title);
    text($("luck"), ending.luck);
    var debrief = $("debrief");
    clear(debrief);
    ending.debrief.forEach(function (para) { debrief.appendChild(el("p", null, para)); });
    var rows = $("costs").tBodies[0];
    clear(rows);
    ending.costs.forEach(function (c) {
      var tr = el("tr");
      tr.appendChild(el("th", null, c.label)).setAttribute("scope", "row");
      tr.appendChild(el("td", null, c.start));
      tr.appendChild(el("td", null, c.end));
      rows.appendChild(tr);
    });
    text($("estimate"), ending.estimate);
    var facts = $("facts"), since = $("since");
    clear(facts);
    clear(since);
    ending.facts.forEach(function (f) {
      var li = el("li");
      li.appendChild(el("p", null, f.text));
      li.appendChild(el("p", "cite", f.cite));
      if (f.source) li.appendChild(el("p", "source", f.source));
      if (f.also) {  // a source in the class's language (a Korean report), under the main one
        li.appendChild(el("p", "cite also", f.also.cite));
        f.also.sources.forEach(function (url) { li.appendChild(el("p", "source", url)); });
      }
      (f.since ? since : facts).appendChild(li);
    });
    var lines = ending.helplines || [], help = $("helplines-text");   // in the story's language, as its note
    clear(help);
    lines.forEach(function (para) { help.appendChild(el("p", null, para)); });
    $("helplines").hidden = !lines.length;
  }

  function renderStatus(p) {
    var dl = $("resources");
    clear(dl);
    (p.resources || []).forEach(function (r) {
      var row = el("div");
      row.appendChild(el("dt", null, r.label));
      row.appendChild(el("dd", null, r.value));
      dl.appendChild(row);
    });
    var comma = t(", ");
    text($("items"), p.items && p.items.length ? t("Carrying: {items}", { items: p.items.join(comma) }) : "");
  }

  function renderJournal(entries) {
    var list = $("journal");
    clear(list);
    $("journal-empty").hidden = entries.length > 0;
    entries.forEach(function (e) {
      var li = el("li");
      var meta = [t("Day {day}", { day: Math.round(e.day || 0) }), e.place, e.title].filter(Boolean).join(" · ");
      li.appendChild(el("p", "meta", meta));
      if (e.choice) li.appendChild(el("p", null, e.choice));
      if (e.risk) li.appendChild(el("p", e.fell ? "fell" : "meta", e.risk));
      list.appendChild(li);
    });
  }

  function renderMap(route, place) {
    var section = $("map-section");
    if (!map || !route.length) { section.hidden = true; return; }
    section.hidden = false;
    var svg = $("map");
    clear(svg);
    var xs = route.map(function (pt) { return pt[0]; }), ys = route.map(function (pt) { return pt[1]; });
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var size = Math.min(Math.max(maxX - minX, maxY - minY, 500) * 1.25, map.width, map.height);
    var cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
    var x0 = Math.max(0, Math.min(map.width - size, cx - size / 2)), y0 = Math.max(0, Math.min(map.height - size, cy - size / 2));
    svg.setAttribute("viewBox", [x0, y0, size, size].map(Math.round).join(" "));
    var image = document.createElementNS(SVG, "image");
    image.setAttribute("href", map.src);
    image.setAttribute("x", "0");
    image.setAttribute("y", "0");
    image.setAttribute("width", String(map.width));
    image.setAttribute("height", String(map.height));
    svg.appendChild(image);
    var stroke = size / 110;
    var line = document.createElementNS(SVG, "polyline");
    line.setAttribute("points", route.map(function (pt) { return pt[0] + "," + pt[1]; }).join(" "));
    line.setAttribute("class", "route");
    line.setAttribute("stroke-width", String(stroke));
    svg.appendChild(line);
    var last = route[route.length - 1];
    var dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("cx", String(last[0]));
    dot.setAttribute("cy", String(last[1]));
    dot.setAttribute("r", String(stroke * 2.2));
    dot.setAttribute("class", "here");
    svg.appendChild(dot);
    text($("map-caption"), place ? t("She is at {place}. The line is the way she has come.", { place: place }) :
      t("The line is the way she has come."));
  }

  // ------------------------------------------------------------------ start
  document.addEventListener("DOMContentLoaded", function () {
    $("join-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var code = $("code").value.replace(/[^0-9]/g, "");
      if (code.length !== 4) {
        text($("join-error"), t("The room code has four digits."));
        $("code").setAttribute("aria-invalid", "true");
        return;
      }
      $("code").removeAttribute("aria-invalid");
      text($("join-error"), "");
      saved.code = code;
      store();
      if (!send({ type: "join", code: code, token: saved.token || undefined })) {
        connection(t("Connecting…"), false);
        connect();
      }
    });
    $("undo").addEventListener("click", undo);
    $("name-form").addEventListener("submit", function (event) {
      event.preventDefault();
      send({ type: "nickname", name: $("nickname").value.slice(0, 24) });
    });
    var hash = window.location.hash.replace(/[^0-9]/g, "").slice(0, 4);
    if (hash && !saved.token) { saved.code = hash; store(); }
    connection(t("Connecting…"), false);
    connect();
  });
})();
