/* Smart City Manager learner runtime, part 1 of 3: the LMS connection for SCORM 1.2 and SCORM 2004 4th ed.
   One adapter hides the two APIs' names and formats; it guarantees Initialize once, no call after Terminate,
   and checks GetLastError after every call so a rejected value is reported instead of silently lost. */
(function (window) {
  "use strict";

  var SCM = window.SCM = window.SCM || {};
  var MAX_HOPS = 20;

  var VERSIONS = {
    "1.2": {
      api: "API", initialize: "LMSInitialize", terminate: "LMSFinish", getValue: "LMSGetValue",
      setValue: "LMSSetValue", commit: "LMSCommit", getLastError: "LMSGetLastError",
      location: "cmi.core.lesson_location", entry: "cmi.core.entry", exit: "cmi.core.exit",
      sessionTime: "cmi.core.session_time", suspendData: "cmi.suspend_data",
      exitDone: "", result: { correct: "correct", wrong: "wrong" }
    },
    "2004": {
      api: "API_1484_11", initialize: "Initialize", terminate: "Terminate", getValue: "GetValue",
      setValue: "SetValue", commit: "Commit", getLastError: "GetLastError",
      location: "cmi.location", entry: "cmi.entry", exit: "cmi.exit",
      sessionTime: "cmi.session_time", suspendData: "cmi.suspend_data",
      exitDone: "normal", result: { correct: "correct", wrong: "incorrect" }
    }
  };

  /* Walks up the frame chain from `start`; cross-origin frames throw on access and are skipped. */
  function climb(start, name) {
    var win = start;
    for (var hops = 0; win && hops < MAX_HOPS; hops++) {
      try {
        if (win[name]) { return win[name]; }
      } catch (ignored) { /* a foreign origin: keep climbing */ }
      if (!win.parent || win.parent === win) { return null; }
      win = win.parent;
    }
    return null;
  }

  function findApi(name) {
    var api = climb(window, name);
    if (!api && window.opener) {
      try { api = climb(window.opener, name); } catch (ignored) { api = null; }
    }
    return api;
  }

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) { text = "0" + text; }
    return text;
  }

  /* 1.2 CMITimespan with 2-4 hour digits (Moodle's rule); 2004 ISO 8601 duration with at most 2 decimals. */
  function formatDuration(version, milliseconds) {
    var centis = Math.max(0, Math.round(milliseconds / 10));
    var hours = Math.floor(centis / 360000);
    var minutes = Math.floor(centis / 6000) % 60;
    var seconds = Math.floor(centis / 100) % 60;
    var fraction = centis % 100;
    if (version === "1.2") {
      if (hours > 9999) { return "9999:59:59.99"; }
      return pad(hours, 2) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2) + "." + pad(fraction, 2);
    }
    return "PT" + hours + "H" + minutes + "M" + seconds + (fraction ? "." + pad(fraction, 2) : "") + "S";
  }

  function Lms(version, onError) {
    this.version = version;
    this.names = VERSIONS[version];
    this.api = findApi(this.names.api);
    this.onError = onError;
    this.state = "new"; /* new -> running -> terminated; "offline" when no LMS answered */
    this.startedAt = 0;
  }

  Lms.prototype.call = function (method, args) {
    if (this.state !== "running" && method !== this.names.initialize) { return ""; }
    var result;
    try {
      result = String(this.api[method].apply(this.api, args));
    } catch (error) {
      this.fail(method, args, "exception");
      return "";
    }
    if (method === this.names.terminate && result === "true") { return result; } /* nothing after Terminate */
    var code = String(this.api[this.names.getLastError]());
    if (code !== "0" && code !== "") { this.fail(method, args, code); }
    return result;
  };

  Lms.prototype.fail = function (method, args, code) {
    if (this.onError) { this.onError({ method: method, element: args[0], code: code }); }
  };

  Lms.prototype.get = function (element) { return this.call(this.names.getValue, [element]); };
  Lms.prototype.set = function (element, value) { this.call(this.names.setValue, [element, String(value)]); };
  Lms.prototype.commit = function () { this.call(this.names.commit, [""]); };

  Lms.prototype.isOnline = function () { return this.state === "running"; };

  /* Initializes once and marks a first launch incomplete before the learner can do anything, because Moodle
     records "completed" for a SCO that finishes while still "not attempted". Returns what the LMS kept:
     bookmark and suspend_data (null when there is nothing to resume) and the score of a finished attempt. */
  Lms.prototype.start = function () {
    var saved = { location: null, suspendData: null, priorScore: null };
    if (this.state !== "new") { return saved; }
    if (!this.api || this.call(this.names.initialize, [""]) !== "true") {
      this.state = "offline";
      return saved;
    }
    this.state = "running";
    this.startedAt = Date.now();
    var done = this.isDone();
    if (done) {
      /* A finished attempt always has our score.raw, so reading it cannot hit "not initialized". */
      var raw = parseFloat(this.get(this.version === "1.2" ? "cmi.core.score.raw" : "cmi.score.raw"));
      saved.priorScore = raw >= 0 && raw <= 100 ? raw : null;
    } else if (this.version === "1.2") {
      if (this.get("cmi.core.lesson_status") === "not attempted") {
        this.set("cmi.core.lesson_status", "incomplete");
      }
    } else if (["not attempted", "unknown", ""].indexOf(this.get("cmi.completion_status")) >= 0) {
      this.set("cmi.completion_status", "incomplete");
    }
    this.set(this.names.exit, done ? this.names.exitDone : "suspend");
    this.commit();
    /* 2004 answers 403 for a location never set, so only a resume may read it; 1.2 reads "" harmlessly. */
    var entry = this.get(this.names.entry);
    if (entry === "resume" || (this.version === "1.2" && entry !== "ab-initio")) {
      saved.location = this.get(this.names.location);
      saved.suspendData = this.get(this.names.suspendData);
    }
    return saved;
  };

  Lms.prototype.isDone = function () {
    if (this.version === "1.2") {
      return ["passed", "failed", "completed"].indexOf(this.get("cmi.core.lesson_status")) >= 0;
    }
    return this.get("cmi.completion_status") === "completed";
  };

  Lms.prototype.save = function (location, suspendData) {
    this.set(this.names.location, location);
    this.set(this.names.suspendData, suspendData);
  };

  /* Writes the evaluated attempt: interactions first, then score, then status, then one commit. */
  Lms.prototype.report = function (outcome) {
    if (!this.isOnline()) { return; }
    var version = this.version;
    var self = this;
    /* 1.2 interactions are write-only, so 1.2 counts on the caller's attempt-based index. */
    var first = version === "1.2" ? outcome.firstIndex : parseInt(this.get("cmi.interactions._count"), 10) || 0;
    outcome.interactions.forEach(function (interaction, offset) {
      var prefix = "cmi.interactions." + (first + offset) + ".";
      self.set(prefix + "id", interaction.id);
      self.set(prefix + "type", interaction.type);
      if (version === "2004") { self.set(prefix + "description", interaction.description); }
      self.set(prefix + "correct_responses.0.pattern", interaction.pattern);
      self.set(prefix + (version === "1.2" ? "student_response" : "learner_response"), interaction.response);
      self.set(prefix + "result", interaction.correct ? self.names.result.correct : self.names.result.wrong);
    });
    var status = outcome.passed ? "passed" : "failed";
    if (version === "1.2") {
      this.set("cmi.core.score.min", "0");
      this.set("cmi.core.score.max", "100");
      this.set("cmi.core.score.raw", String(outcome.raw));
      this.set("cmi.core.lesson_status", status);
    } else {
      this.set("cmi.score.scaled", String(outcome.raw / 100));
      this.set("cmi.score.raw", String(outcome.raw));
      this.set("cmi.score.min", "0");
      this.set("cmi.score.max", "100");
      this.set("cmi.completion_status", "completed");
      this.set("cmi.success_status", status);
    }
    this.set(this.names.exit, this.names.exitDone);
    this.commit();
  };

  /* Ends the session exactly once; every later call is a no-op. */
  Lms.prototype.finish = function () {
    if (!this.isOnline()) { return; }
    this.set(this.names.sessionTime, formatDuration(this.version, Date.now() - this.startedAt));
    this.commit();
    this.call(this.names.terminate, [""]);
    this.state = "terminated";
  };

  SCM.Lms = Lms;
  SCM.formatDuration = formatDuration;
})(window);
