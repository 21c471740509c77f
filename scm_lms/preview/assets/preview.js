/* Preview page: plays the SCO against scorm-again, shows its CMI data and every API call live, and warns about
   everything the conformance checklist (research/scorm.md, items 17-28) forbids, since scorm-again itself
   accepts some of it (SCORM 1.2 SetValue after LMSFinish answers "true" with error 0). */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("preview-config").textContent);
  var is12 = config.version === "1.2";
  var N = is12 ? {
    api: "API", init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
    commit: "LMSCommit", lastError: "LMSGetLastError", errorString: "LMSGetErrorString",
    diagnostic: "LMSGetDiagnostic", status: "cmi.core.lesson_status", location: "cmi.core.lesson_location",
    sessionTime: "cmi.core.session_time", suspend: "cmi.suspend_data"
  } : {
    api: "API_1484_11", init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue",
    commit: "Commit", lastError: "GetLastError", errorString: "GetErrorString",
    diagnostic: "GetDiagnostic", status: "cmi.completion_status", location: "cmi.location",
    sessionTime: "cmi.session_time", suspend: "cmi.suspend_data"
  };
  var LOCATION_LIMIT = is12 ? 255 : 1000;
  var AFTER_TERMINATE = [N.get, N.set, N.commit, N.finish];

  /* Moodle's value checks (mod/scorm/datamodels/scorm_12.js and scorm_13.js): [element, value, type]. */
  var RULES = is12 ? [
    [/^cmi\.core\.score\.(raw|min|max)$/, /^-?\d{0,3}(\.\d*)?$/, "CMIDecimal"],
    [/^cmi\.core\.session_time$/, /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/, "CMITimespan (2-4 Stundenziffern)"],
    [/^cmi\.core\.lesson_status$/, /^(passed|completed|failed|incomplete|browsed)$/, "CMIVocabulary Status"],
    [/^cmi\.core\.exit$/, /^(time-out|suspend|logout|)$/, "CMIVocabulary Exit"],
    [/^cmi\.interactions\.\d+\.id$/, /^[\u0021-\u007E]{1,255}$/, "CMIIdentifier"],
    [/^cmi\.interactions\.\d+\.result$/, /^(correct|wrong|unanticipated|neutral|-?\d+(\.\d+)?)$/,
      "CMIVocabulary Ergebnis (1.2: wrong statt incorrect)"]
  ] : [
    [/^cmi\.score\.(raw|min|max|scaled)$/, /^-?\d{1,5}(\.\d{1,18})?$/, "real(10,7) nach Moodle"],
    [/^cmi\.session_time$/, /^P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/,
      "timeinterval (höchstens 2 Nachkommastellen)"],
    [/^cmi\.interactions\.\d+\.id$/, /^\S{1,250}[a-zA-Z0-9]$/, "long_identifier_type nach Moodle"],
    [/^cmi\.interactions\.\d+\.result$/, /^(correct|incorrect|unanticipated|neutral|-?\d+(\.\d+)?)$/,
      "Ergebnis (2004: incorrect statt wrong)"],
    [/^cmi\.interactions\.\d+\.description$/, /^[\s\S]{0,250}$/, "localized_string_type(250)"]
  ];

  var api = null;
  var session = null;
  var sessions = 0;
  var calls = 0;
  var saved = null;
  var frame = document.getElementById("sco");

  function byId(id) { return document.getElementById(id); }

  function warn(kind, text) {
    var list = byId("warnings");
    var existing = list.querySelector('li[data-text="' + CSS.escape(text) + '"]');
    if (existing) {
      var count = Number(existing.dataset.count) + 1;
      existing.dataset.count = String(count);
      existing.textContent = text + " (" + count + "×)";
      return;
    }
    var item = document.createElement("li");
    item.dataset.kind = kind;
    item.dataset.text = text;
    item.dataset.count = "1";
    item.textContent = text;
    list.appendChild(item);
    byId("warning-count").textContent = String(list.children.length);
  }

  function logRow(cells, className) {
    var row = document.createElement("tr");
    if (className) { row.className = className; }
    cells.forEach(function (text) {
      var cell = document.createElement("td");
      cell.textContent = text;
      row.appendChild(cell);
    });
    byId("log").tBodies[0].appendChild(row);
    var box = byId("log-box");
    box.scrollTop = box.scrollHeight;
  }

  function quote(args) {
    return args.map(function (arg) { return JSON.stringify(arg); }).join(", ");
  }

  /* Checks that need to know what happened before the call (scorm-again would otherwise hide them). */
  function before(s, method) {
    if (method === N.init) {
      s.initCount += 1;
      if (s.initCount > 1) { warn("init-twice", N.init + " wurde in derselben Sitzung mehrfach aufgerufen."); }
    }
    if (s.terminated && (AFTER_TERMINATE.indexOf(method) >= 0 || method === N.init)) {
      warn("after-terminate", method + " nach " + N.finish + " aufgerufen; nach dem Beenden ist kein Aufruf erlaubt.");
    }
    if ((method === N.commit || method === N.finish) && !s.statusChecked && s.initCount > 0) {
      s.statusChecked = true;
      if (s.firstLaunch && s.statusSet === null) {
        warn("no-incomplete", "Erststart: Der Status wurde vor dem ersten " + method + " nicht auf incomplete " +
          "gesetzt (" + N.status + "); Moodle trägt sonst beim Beenden completed ein.");
      }
    }
  }

  function checkValue(s, element, value) {
    RULES.forEach(function (rule) {
      if (rule[0].test(element) && !rule[1].test(value)) {
        warn("moodle-regex", element + " = " + JSON.stringify(value) + " besteht Moodles Prüfung nicht (" + rule[2] + ").");
      }
    });
    if (element === "cmi.score.scaled" && Math.abs(Number(value)) > 1) {
      warn("moodle-regex", "cmi.score.scaled = " + value + " liegt außerhalb von -1 bis 1.");
    }
    if (element === N.suspend && value.length > config.suspendLimit) {
      warn("suspend-size", "suspend_data ist " + value.length + " Zeichen lang, erlaubt sind " +
        config.suspendLimit + " (SCORM " + config.version + ").");
    }
    if (element === N.location && value.length > LOCATION_LIMIT) {
      warn("location-size", N.location + " ist " + value.length + " Zeichen lang, erlaubt sind " + LOCATION_LIMIT + ".");
    }
    if (element === N.status && s.statusSet === null) { s.statusSet = value; }
    if (element === N.status) { s.status = value; }
    if (element === N.sessionTime) { s.sessionTimes += 1; }
    if (/\.exit$/.test(element)) { s.exit = value; }
  }

  function afterFinish(s) {
    if (s.sessionTimes === 0) { warn("session-time", "Sitzung beendet, ohne " + N.sessionTime + " zu setzen."); }
    if (s.sessionTimes > 1) { warn("session-time", N.sessionTime + " wurde " + s.sessionTimes + "-mal gesetzt, erwartet einmal."); }
    if (s.status === "incomplete" && s.exit !== "suspend") {
      warn("no-suspend", "Beendet mit Status incomplete, aber exit ist nicht suspend: Moodle setzt den Versuch " +
        "dann nicht fort (entry bleibt ab-initio).");
    }
  }

  function wrap(target, s) {
    var originals = {};
    [N.init, N.finish, N.get, N.set, N.commit, N.lastError, N.errorString, N.diagnostic].forEach(function (name) {
      originals[name] = target[name].bind(target);
    });
    Object.keys(originals).forEach(function (name) {
      target[name] = function () {
        var args = Array.prototype.slice.call(arguments).map(String);
        before(s, name);
        var result = String(originals[name].apply(null, arguments));
        var code = String(originals[N.lastError]());
        calls += 1;
        var failed = code !== "0" && code !== "";
        var shown = failed ? code + " " + originals[N.errorString](code) : code;
        var query = name === N.lastError || name === N.errorString || name === N.diagnostic;
        logRow([String(calls), String(s.number), name + "(" + quote(args) + ")", JSON.stringify(result), shown],
          (failed ? "failed " : "") + (query ? "error-query" : ""));
        if (failed && name !== N.lastError && name !== N.errorString && name !== N.diagnostic) {
          warn("error-code", name + "(" + quote(args) + ") → Fehler " + shown + ".");
        }
        if (name === N.set) { checkValue(s, args[0], args[1]); }
        if (name === N.finish) {
          s.terminated = true;
          afterFinish(s);
        }
        if (name === N.commit || name === N.finish) { saved = snapshot(target) || saved; }
        render(target);
        return result;
      };
    });
  }

  function snapshot(target) {
    try {
      return JSON.parse(JSON.stringify(target.renderCommitCMI(true))).cmi;
    } catch (error) {
      return null;
    }
  }

  function items(collection) {
    if (Array.isArray(collection)) { return collection; }
    if (!collection || typeof collection !== "object") { return []; }
    return Object.keys(collection).filter(function (key) { return /^\d+$/.test(key); })
      .sort(function (a, b) { return a - b; }).map(function (key) { return collection[key]; });
  }

  function text(id, value) { byId(id).textContent = value === undefined || value === "" ? "–" : value; }

  function render(target) {
    var cmi = snapshot(target);
    if (!cmi) { return; }
    var core = is12 ? (cmi.core || {}) : cmi;
    var score = core.score || {};
    if (is12) {
      text("cmi-status", core.lesson_status);
    } else {
      text("cmi-status", "completion_status: " + cmi.completion_status + ", success_status: " + cmi.success_status);
    }
    var parts = ["raw " + (score.raw || "–"), "min " + (score.min || "–"), "max " + (score.max || "–")];
    if (!is12) { parts.unshift("scaled " + (score.scaled || "–")); }
    text("cmi-score", parts.join(", "));
    text("cmi-location", is12 ? core.lesson_location : cmi.location);
    var data = String(cmi.suspend_data || "");
    var suspend = byId("cmi-suspend");
    suspend.textContent = data.length + " von " + config.suspendLimit + " Zeichen" + (data ? ": " + data : "");
    suspend.classList.toggle("over", data.length > config.suspendLimit);
    text("cmi-session-time", core.session_time);
    text("cmi-entry-exit", (core.entry || "–") + " / " + (core.exit || "–"));
    var body = byId("interactions").tBodies[0];
    body.textContent = "";
    items(cmi.interactions).forEach(function (interaction, index) {
      var row = document.createElement("tr");
      var response = is12 ? interaction.student_response : interaction.learner_response;
      [String(index), interaction.id, interaction.type, response, interaction.result].forEach(function (value) {
        var cell = document.createElement("td");
        cell.textContent = value === undefined ? "" : String(value);
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
  }

  /* Drops empty values: loadFromJSON would reject "" for typed elements such as score.raw. */
  function clean(data) {
    var result = {};
    Object.keys(data).forEach(function (key) {
      var value = data[key];
      if (value && typeof value === "object") { value = clean(value); }
      if (value !== undefined && value !== "" && value !== "not attempted" &&
          !(typeof value === "object" && Object.keys(value).length === 0)) { result[key] = value; }
    });
    return result;
  }

  /* What Moodle hands a SCO on relaunch: the saved status, score, bookmark and suspend_data, entry=resume; in
     2004 also the interactions (readable there, so a SCO appends after cmi.interactions._count). */
  function resumeData(cmi) {
    if (is12) {
      var core = cmi.core || {};
      return clean({ core: { entry: "resume", lesson_status: core.lesson_status, lesson_location: core.lesson_location,
        score: core.score || {} }, suspend_data: cmi.suspend_data });
    }
    return clean({ entry: "resume", location: cmi.location, completion_status: cmi.completion_status,
      success_status: cmi.success_status, score: cmi.score || {}, suspend_data: cmi.suspend_data,
      interactions: items(cmi.interactions) });
  }

  function start(mode) {
    if (mode === "reset") {
      saved = null;
      byId("log").tBodies[0].textContent = "";
      byId("warnings").textContent = "";
      byId("warning-count").textContent = "0";
    }
    sessions += 1;
    var resuming = mode === "resume" && saved !== null;
    var settings = { autocommit: false, lmsCommitUrl: false, logLevel: 5 };
    api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    api.loadFromJSON(resuming ? resumeData(saved) : (is12 ? { core: { entry: "ab-initio" } } : { entry: "ab-initio" }), "");
    session = { number: sessions, initCount: 0, terminated: false, firstLaunch: !resuming, statusSet: null,
      statusChecked: false, status: null, sessionTimes: 0, exit: null };
    if (resuming && (is12 ? (saved.core || {}).exit : saved.exit) !== "suspend") {
      warn("no-suspend", "Fortsetzen erzwungen: Der letzte Versuch endete nicht mit exit=suspend; Moodle würde " +
        "ihn nicht fortsetzen.");
    }
    wrap(api, session);
    window[N.api] = api;
    byId("session-label").textContent = "(Sitzung " + sessions + (resuming ? ", fortgesetzt" : ", Erststart") + ")";
    logRow(["", String(sessions), resuming ? "Neustart mit entry=resume" : "Neuer Versuch (entry=ab-initio)", "", ""],
      "session");
    render(api);
    frame.src = config.launch;
  }

  /* Unloads the running SCO first, so its own Terminate (pagehide) reaches the old API and is saved; a reset
     then forgets it. */
  function relaunch(mode) {
    if (!frame.getAttribute("src") || frame.getAttribute("src") === "about:blank") { start(mode); return; }
    frame.addEventListener("load", function () { start(mode); }, { once: true });
    frame.src = "about:blank";
  }

  function poll() {
    fetch("/state", { cache: "no-store" }).then(function (reply) { return reply.json(); }).then(function (state) {
      if (state.generation !== config.generation) { window.location.reload(); return; }
      var box = byId("build-error");
      box.hidden = !state.error;
      box.textContent = state.error ? "Neubau fehlgeschlagen, angezeigt wird der letzte gute Stand:\n" + state.error : "";
    }).catch(function () { /* server stopped: keep what is shown */ }).then(function () {
      window.setTimeout(poll, 1000);
    });
  }

  byId("reset").addEventListener("click", function () { relaunch("reset"); });
  byId("hide-queries").addEventListener("change", function (event) {
    byId("log").classList.toggle("hide-queries", event.target.checked);
  });
  byId("resume").addEventListener("click", function () { relaunch("resume"); });
  relaunch("new");
  poll();
}());
