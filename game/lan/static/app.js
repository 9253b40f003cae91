// 3,500 Miles: the students' vote page. Plain JavaScript, no libraries, no build step.
// Every text from the server is inserted with textContent (never as HTML).
// Protocol (docs/lan.md): the page sends {type:"join", code, token?} and
// {type:"vote", decision, choice}; the server sends welcome, refused, state, ack, rejected, full.
(function () {
  "use strict";

  var KEY = "escape-route-vote";
  var $ = function (id) { return document.getElementById(id); };

  // ------------------------------------------------------------------ what this tab remembers
  // The room code, the anonymous token the server gave, and this device's own votes
  // (to show "you voted for" after the vote closes). sessionStorage: gone when the tab closes.
  function load() {
    try { return JSON.parse(window.sessionStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  var saved = load();
  if (typeof saved.votes !== "object" || saved.votes === null) saved.votes = {};
  function save() {
    var ids = Object.keys(saved.votes);
    if (ids.length > 8) delete saved.votes[ids[0]];
    try { window.sessionStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* private mode: memory only */ }
  }

  // ------------------------------------------------------------------ connection
  var ws = null;
  var attempt = 0;
  var retryTimer = null;
  var joined = false;
  var state = null;
  var pending = null;        // {decision, round, choice} waiting to be sent or acknowledged
  var restarted = {};        // decision id -> true once its vote started again (R on the projector)
  var shownDecision = null;  // the decision whose buttons are on the page
  var lockedUntil = 0;

  function setConnection(text, kind) {
    var el = $("connection");
    if (el.textContent !== text) el.textContent = text;
    el.className = "connection" + (kind ? " " + kind : "");
  }

  function connect() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (ws) return;
    var socket;
    try {
      socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
    } catch (e) {
      scheduleReconnect();
      return;
    }
    ws = socket;
    setConnection(joined ? t("Reconnecting…") : t("Connecting…"), "");
    socket.onopen = function () {
      if (saved.code) send({ type: "join", code: saved.code, token: saved.token || undefined });
    };
    socket.onmessage = function (event) {
      var msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      if (msg && typeof msg === "object") handle(msg);
    };
    socket.onclose = function (event) {
      if (ws !== socket) return;
      ws = null;
      if (event.code === 1013) {                       // the room is full
        joined = false;
        showJoin(t("The room is full. Ask your teacher, then try again."));
        setConnection(t("Not connected: the room is full."), "problem");
        return;
      }
      if (saved.code && saved.token) {
        scheduleReconnect();
      } else {
        setConnection("", "");
      }
    };
  }

  function scheduleReconnect() {
    if (retryTimer) return;
    var delay = Math.min(15000, 500 * Math.pow(2, attempt)) * (0.6 + 0.4 * Math.random());
    attempt = Math.min(attempt + 1, 8);
    var seconds = Math.max(1, Math.round(delay / 1000));
    setConnection(tn("Connection lost. Trying again in {n} second…", "Connection lost. Trying again in {n} seconds…",
                     seconds), "problem");
    retryTimer = setTimeout(connect, delay);
  }

  function send(message) {
    if (!ws || ws.readyState !== 1) return false;
    var text = JSON.stringify(message);
    if (text.length > 1000) return false;
    ws.send(text);
    return true;
  }

  window.addEventListener("online", function () { if (!ws && saved.token) connect(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !ws && saved.token) connect();
  });

  // ------------------------------------------------------------------ messages from the server
  function handle(msg) {
    switch (msg.type) {
      case "welcome":
        joined = true;
        attempt = 0;
        if (saved.token !== msg.token) saved.votes = {};
        saved.token = String(msg.token || "");
        save();
        $("join").hidden = true;
        $("room").hidden = false;
        setConnection(t("Connected"), "ok");
        break;
      case "refused":
        refused(msg);
        break;
      case "state":
        var before = state && state.decision;
        state = msg;
        if (msg.decision && before && before.id === msg.decision.id && before.round !== msg.decision.round
            && msg.status === "voting" && typeof saved.votes[roundKey(before)] === "number") {
          restarted[msg.decision.id] = true;   // the teacher reset this vote: the vote this phone cast is gone
        }
        if (pending && (!msg.decision || pending.round !== msg.decision.round)) pending = null;
        if (typeof msg.vote === "number" && msg.decision) remember(roundKey(msg.decision), msg.vote);
        render();
        if (pending && state.status === "voting" && state.decision && state.decision.id === pending.decision) {
          send({ type: "vote", decision: pending.decision, choice: pending.choice });
        }
        break;
      case "ack":
        if (pending && pending.decision === msg.decision && pending.choice === msg.choice) pending = null;
        if (state && state.decision && state.decision.id === msg.decision) {
          remember(roundKey(state.decision), msg.choice);
        }
        render();
        break;
      case "rejected":
        if (pending && pending.decision === msg.decision) pending = null;
        $("mine").textContent = msg.reason === "closed" || msg.reason === "unknown-decision"
          ? t("The vote had already closed: that vote was not counted.")
          : t("That choice is not open: the vote was not counted.");
        break;
      case "full":
        break;  // the close (code 1013) that follows says it
    }
  }

  function refused(msg) {
    joined = false;
    var had = saved.token;
    saved.code = "";
    saved.token = "";
    save();
    var text;
    if (msg.reason === "too-many-tries") {
      var wait = Math.max(1, Number(msg.retry_after) || 60);
      lockedUntil = Date.now() + wait * 1000;
      text = tn("Too many wrong codes. Wait {n} second, then try again.",
                "Too many wrong codes. Wait {n} seconds, then try again.", wait);
      lockJoin();
    } else if (msg.reason === "full") {
      text = t("The room is full. Ask your teacher.");
    } else if (msg.reason === "locked") {
      text = t("The room is locked: no new devices for now. Ask your teacher.");
    } else if (had) {
      text = t("The room code has changed. Type the new code from the projector.");
    } else {
      var left = Number(msg.tries_left);
      text = t("That is not the room code.") + (left >= 0 && left <= 3
        ? " " + tn("{n} try left.", "{n} tries left.", left) : "");
    }
    showJoin(text);
    setConnection("", "");
  }

  function lockJoin() {
    var button = $("join-button");
    var left = Math.ceil((lockedUntil - Date.now()) / 1000);
    if (left > 0) {
      button.disabled = true;
      button.textContent = tn("Wait {n} s", "Wait {n} s", left);
      setTimeout(lockJoin, 1000);
    } else {
      button.disabled = false;
      button.textContent = t("Join");
    }
  }

  function showJoin(error) {
    $("room").hidden = true;
    $("join").hidden = false;
    $("join-error").textContent = error || "";
    var input = $("code");
    input.setAttribute("aria-invalid", error ? "true" : "false");
    input.focus();
  }

  // A vote is remembered per round of a decision: after a reset (R) the same decision is a new round, so the
  // page forgets the vote it showed, even after a reload.
  function roundKey(decision) {
    return decision.id + "/" + (decision.round || "");
  }

  function remember(key, choice) {
    saved.votes[key] = choice;
    save();
  }

  // ------------------------------------------------------------------ drawing
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null && text !== "") node.textContent = String(text);
    return node;
  }

  function choiceLabel(c) {
    return (c.index + 1) + ". " + c.text;
  }

  function render() {
    if (!state) return;
    var decision = state.decision;
    var phase = $("phase");
    var status = state.status;
    var phaseText = status === "voting" ? t("Voting is open") : status === "closed" ? t("Vote closed") : t("Waiting");
    if (phase.textContent !== phaseText) phase.textContent = phaseText;
    phase.className = "phase " + status;

    if (!decision) {
      $("title").textContent = t("Waiting for the next decision");
      $("hint").textContent = t("The story is on the projector. When the class has a choice to make, it appears here.");
      $("choices").replaceChildren();
      $("result").hidden = true;
      $("mine").textContent = "";
      shownDecision = null;
      return;
    }
    $("title").textContent = decision.title || t("The class decides");
    var mine = saved.votes[roundKey(decision)];
    var voting = status === "voting";
    $("hint").textContent = voting
      ? t("Choose one. You can change your vote until the vote closes.")
      : t("The vote is closed. Your teacher takes the class's decision on the projector.");

    $("choices").hidden = !voting;
    if (shownDecision !== decision.id + ":" + status) {
      buildChoices(decision, voting);
      shownDecision = decision.id + ":" + status;
    }
    var buttons = $("choices").querySelectorAll("button.choice");
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      var index = Number(b.dataset.index);
      var chosen = mine === index;
      b.setAttribute("aria-pressed", chosen ? "true" : "false");
      var mark = b.querySelector(".mark");
      if (mark) mark.textContent = chosen ? "✓ " + t("Your vote") : "";
    }
    var picked = decision.choices.filter(function (c) { return c.index === mine; })[0];
    var line = "";
    if (pending && pending.decision === decision.id && voting) {
      line = t("Sending your vote…");
    } else if (picked) {
      line = voting ? t("Your vote: {choice} (you can still change it).", { choice: choiceLabel(picked) })
        : t("You voted for {choice}.", { choice: choiceLabel(picked) });
    } else if (voting && restarted[decision.id]) {
      line = t("The vote started again from zero: your earlier vote no longer counts. Choose again.");
    } else if (voting) {
      line = t("You have not voted yet.");
    } else {
      line = t("You did not vote on this one.");
    }
    $("mine").textContent = line;
    renderResult(decision);
  }

  function buildChoices(decision, voting) {
    var list = $("choices");
    var items = [];
    decision.choices.forEach(function (c) {
      var li = el("li");
      var b = el("button", "choice");
      b.type = "button";
      b.dataset.index = String(c.index);
      b.appendChild(el("span", "num", String(c.index + 1))).setAttribute("aria-hidden", "true");
      var body = el("span", "body");
      body.appendChild(el("span", "text", c.text));
      if (c.available) {
        if (c.cost) body.appendChild(el("span", "meta", c.cost));
        if (c.risk) body.appendChild(el("span", "risk", c.risk));
        if (!c.cost && !c.risk) body.appendChild(el("span", "meta", t("No cost")));
      } else {
        body.appendChild(el("span", "meta", c.reason ? t("Closed: {reason}", { reason: c.reason }) : t("Closed")));
      }
      body.appendChild(el("span", "mark"));
      // A space between the lines, so the text read off the button is the accessible name's words, in order.
      Array.prototype.slice.call(body.children, 1).forEach(function (line) {
        body.insertBefore(document.createTextNode(" "), line);
      });
      b.appendChild(document.createTextNode(" "));
      b.appendChild(body);
      // The accessible name: number, text, cost and risk (the number circle is hidden from screen readers).
      var said = !c.available ? [t("closed"), c.reason] : c.cost || c.risk ? [c.cost, c.risk] : [t("No cost")];
      b.setAttribute("aria-label", [choiceLabel(c)].concat(said).filter(Boolean).join(". "));
      if (!c.available || !voting) {
        b.disabled = true;
      } else {
        b.addEventListener("click", function () { vote(decision.id, c.index); });
      }
      li.appendChild(b);
      items.push(li);
    });
    list.replaceChildren.apply(list, items);
  }

  function renderResult(decision) {
    var box = $("result");
    if (state.status !== "closed" || !state.result) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    var counts = state.result.counts || [];
    var most = 0;
    counts.forEach(function (r) { most = Math.max(most, r.votes); });
    var items = counts.map(function (r) {
      var c = decision.choices.filter(function (x) { return x.index === r.index; })[0];
      var li = el("li", r.votes && r.votes === most ? "top" : "");
      var row = el("div", "row");
      var name = row.appendChild(el("span", "label", c ? choiceLabel(c) : String(r.index + 1)));
      if (r.index === saved.votes[roundKey(decision)]) name.appendChild(el("span", "yours", t("Your vote")));
      row.appendChild(el("span", "n", tn("{n} vote", "{n} votes", r.votes)));
      li.appendChild(row);
      var track = el("div", "track");
      track.setAttribute("aria-hidden", "true");
      var bar = el("div", "bar");
      bar.style.width = most ? Math.round(100 * r.votes / most) + "%" : "0";
      track.appendChild(bar);
      li.appendChild(track);
      return li;
    });
    var list = $("counts");
    list.replaceChildren.apply(list, items);
    var total = state.result.total || 0;
    $("total").textContent = tn("{n} vote in all (phones and hands together).",
                                "{n} votes in all (phones and hands together).", total);
    var taken = $("taken");
    var chosen = state.result.chosen;
    var pick = typeof chosen === "number"
      ? decision.choices.filter(function (x) { return x.index === chosen; })[0] : null;
    taken.hidden = !pick;
    var how = state.result.how;
    var words = how === "override" || how === "facilitator" ? t("Your teacher chose: {choice}")
      : how === "tie-break" ? t("A tie, settled by your teacher: {choice}") : t("The class chose: {choice}");
    taken.textContent = pick ? fill(words, { choice: choiceLabel(pick) }) : "";
  }

  function vote(decisionId, index) {
    if (!state || state.status !== "voting" || !state.decision || state.decision.id !== decisionId) return;
    pending = { decision: decisionId, round: state.decision.round, choice: index };
    if (!send({ type: "vote", decision: decisionId, choice: index })) {
      $("mine").textContent = t("Not connected: your vote is sent when the connection is back.");
      if (!ws) connect();
      return;
    }
    render();
  }

  // ------------------------------------------------------------------ joining
  $("join-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (Date.now() < lockedUntil) return;
    var code = $("code").value.replace(/\D/g, "");
    if (code.length !== 4) {
      showJoin(t("The room code has four digits."));
      return;
    }
    $("join-error").textContent = "";
    saved.code = code;
    save();
    if (ws && ws.readyState === 1) {
      send({ type: "join", code: code, token: saved.token || undefined });
    } else {
      connect();
    }
  });

  // The QR code on the projector carries the room code after "#": fill it in and join.
  var fromLink = (location.hash || "").replace(/^#/, "");
  if (/^[0-9]{4}$/.test(fromLink)) {
    if (fromLink !== saved.code) { saved.token = ""; saved.votes = {}; }
    saved.code = fromLink;
    save();
    try { history.replaceState(null, "", location.pathname); } catch (e) { /* keep the hash */ }
  }
  if (saved.code) {
    $("code").value = saved.code;
    connect();
  } else {
    $("code").focus();
  }
})();
