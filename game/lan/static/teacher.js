// 3,500 Miles: the teacher page of class journeys (nicknames; never on the projector). Text via textContent only.
"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var ws = null, code = "", timer = null;
  function text(node, words) { node.textContent = words == null ? "" : String(words); }
  function connect() {
    clearTimeout(timer);
    var socket = new WebSocket("ws://" + window.location.host + "/ws");
    ws = socket;
    socket.onopen = function () { text($("connection"), t("Connected")); if (code) socket.send(JSON.stringify({ type: "teacher", code: code })); };
    socket.onclose = function (event) {
      if (ws !== socket) return;
      text($("connection"), event.code === 1001 && /stopped/.test(event.reason || "")
        ? t("The game on your laptop has closed the room; this page comes back when you resume the session.")
        : t("Connection lost: trying again…"));
      timer = setTimeout(connect, 2000);
    };
    socket.onmessage = function (event) {
      var msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      if (msg.type === "refused") {
        code = "";
        text($("teacher-error"), msg.reason === "too-many-tries" ? t("Too many wrong codes: wait a minute.")
          : t("That is not the teacher code."));
      } else if (msg.type === "roster") {
        $("teacher-form").hidden = true;
        $("roster-section").hidden = false;
        render(msg);
      }
    };
  }
  function render(msg) {
    var state = msg.ended ? t("The session has ended.") : msg.paused ? t("Paused.") : "";
    var counts = t("{joined} joined, {playing} playing, {finished} finished.",
                   { joined: msg.joined, playing: msg.playing, finished: msg.finished });
    text($("summary"), [state, counts, msg.nicknames ? "" : t("Nicknames are off for this session.")]
      .filter(Boolean).join(" "));
    var body = $("roster");
    while (body.firstChild) body.removeChild(body.firstChild);
    msg.students.forEach(function (s) {
      var tr = document.createElement("tr");
      // "Hyesan", not "Hyesan · Hyesan": a place is left out where the chapter has its name.
      var where = [s.where, s.place === s.where ? "" : s.place].filter(Boolean).join(" · ");
      [String(s.number), s.nickname || "—", where].forEach(function (v, i) {
        var cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) cell.setAttribute("scope", "row");
        cell.textContent = v;
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    code = window.location.hash.replace(/[^0-9]/g, "").slice(0, 6);
    $("teacher-form").addEventListener("submit", function (event) {
      event.preventDefault();
      code = $("code").value.replace(/[^0-9]/g, "");
      text($("teacher-error"), "");
      if (ws && ws.readyState === 1) ws.send(JSON.stringify({ type: "teacher", code: code })); else connect();
    });
    connect();
  });
})();
