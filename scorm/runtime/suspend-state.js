/* Smart City Manager learner runtime, part 2 of 3: the suspend_data format.
   "v1|<attempts base36>|<flags base36>|<best score>|<answer>,<answer>,..." — one short token per question, so
   the worst case is a fixed, small length (the renderer checks it against SCORM 1.2's 4096 characters, and its
   Python twin `worst_case_suspend_data` must be kept in step with this file). */
(function (window) {
  "use strict";

  var SCM = window.SCM = window.SCM || {};
  var VERSION = "v1";
  var MAX_ATTEMPTS = 36 * 36 - 1;
  var FLAGS = { evaluated: 1, completed: 2, passed: 4 };

  function emptyAnswer(question) {
    switch (question.type) {
      case "single": return null;
      case "true-false": return null;
      case "multiple": return question.ids.map(function () { return false; });
      default: return question.ids.map(function () { return 0; });
    }
  }

  function encodeAnswer(question, answer) {
    switch (question.type) {
      case "single": return answer === null ? "" : String(answer);
      case "true-false": return answer === null ? "" : (answer ? "1" : "0");
      case "multiple":
        var mask = answer.reduce(function (sum, ticked, index) { return ticked ? sum + (1 << index) : sum; }, 0);
        return mask ? mask.toString(36) : "";
      default: return answer.join("");
    }
  }

  function decodeAnswer(question, token) {
    var count = question.ids ? question.ids.length : 2;
    switch (question.type) {
      case "single":
        if (token === "") { return null; }
        return /^\d$/.test(token) && Number(token) < count ? Number(token) : undefined;
      case "true-false":
        if (token === "") { return null; }
        return token === "1" ? true : token === "0" ? false : undefined;
      case "multiple":
        var mask = token === "" ? 0 : parseInt(token, 36);
        if (!/^[0-9a-z]*$/.test(token) || isNaN(mask) || mask >= (1 << count)) { return undefined; }
        return question.ids.map(function (id, index) { return (mask & (1 << index)) !== 0; });
      default:
        var limit = question.type === "matching" ? question.options.length : count;
        if (token.length !== count || !/^\d*$/.test(token)) { return undefined; }
        var values = token.split("").map(Number);
        return values.every(function (value) { return value <= limit; }) ? values : undefined;
    }
  }

  function encode(state, questions) {
    var answers = questions.map(function (question, index) { return encodeAnswer(question, state.answers[index]); });
    return [VERSION, Math.min(state.attempts, MAX_ATTEMPTS).toString(36), state.flags.toString(36),
      state.best === null ? "" : String(state.best), answers.join(",")].join("|");
  }

  /* Returns null for anything it did not write itself, so a foreign or damaged value means a fresh start. */
  function decode(text, questions) {
    var parts = String(text || "").split("|");
    if (parts.length !== 5 || parts[0] !== VERSION) { return null; }
    var tokens = parts[4].split(",");
    if (tokens.length !== questions.length) { return null; }
    var answers = questions.map(function (question, index) { return decodeAnswer(question, tokens[index]); });
    var attempts = parseInt(parts[1], 36);
    var flags = parseInt(parts[2], 36);
    var best = parts[3] === "" ? null : Number(parts[3]);
    if (answers.indexOf(undefined) >= 0 || isNaN(attempts) || isNaN(flags) || flags > 7 ||
        (best !== null && !(best >= 0 && best <= 100))) {
      return null;
    }
    return { attempts: attempts, flags: flags, best: best, answers: answers };
  }

  function fresh(questions) {
    return { attempts: 0, flags: 0, best: null, answers: questions.map(emptyAnswer) };
  }

  SCM.suspend = { encode: encode, decode: decode, fresh: fresh, emptyAnswer: emptyAnswer, FLAGS: FLAGS };
})(window);
