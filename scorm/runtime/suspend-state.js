/* Smart City Manager learner runtime, part 2 of 3: the suspend_data format.
   "v2|<attempts base36>|<flags base36>|<best score>|<answer>,<answer>,...|<pages read, hex>" — one short token
   per question and one hex digit per four pages, so the worst case is a fixed, small length (the renderer
   checks it against SCORM 1.2's 4096 characters, and its Python twin `worst_case_suspend_data` must be kept in
   step with this file). "v1" (the same without pages) is still read, so an attempt begun before keeps its
   answers. */
(function (window) {
  "use strict";

  var SCM = window.SCM = window.SCM || {};
  var VERSION = "v2";
  var LEGACY = "v1";
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

  /* Pages read as hex digits, four pages each, page 0 in the lowest bit of the first digit. */
  function encodeRead(read) {
    var digits = "";
    for (var start = 0; start < read.length; start += 4) {
      var digit = 0;
      for (var bit = 0; bit < 4 && start + bit < read.length; bit++) { digit += read[start + bit] ? 1 << bit : 0; }
      digits += digit.toString(16);
    }
    return digits;
  }

  function decodeRead(token, pages) {
    if (token.length !== Math.ceil(pages / 4) || !/^[0-9a-f]*$/.test(token)) { return undefined; }
    var read = [];
    for (var page = 0; page < pages; page++) {
      read.push((parseInt(token.charAt(page >> 2), 16) & (1 << (page % 4))) !== 0);
    }
    return read;
  }

  function encode(state, questions) {
    var answers = questions.map(function (question, index) { return encodeAnswer(question, state.answers[index]); });
    return [VERSION, Math.min(state.attempts, MAX_ATTEMPTS).toString(36), state.flags.toString(36),
      state.best === null ? "" : String(state.best), answers.join(","), encodeRead(state.read)].join("|");
  }

  function unread(pages) {
    var read = [];
    for (var page = 0; page < pages; page++) { read.push(false); }
    return read;
  }

  /* Returns null for anything it did not write itself, so a foreign or damaged value means a fresh start. */
  function decode(text, questions, pages) {
    var parts = String(text || "").split("|");
    var legacy = parts.length === 5 && parts[0] === LEGACY;
    if (!legacy && (parts.length !== 6 || parts[0] !== VERSION)) { return null; }
    /* A mask of another length was written for another set of pages (a lesson added or removed since):
       the pages start unread, but the answers, which only depend on the questions, are kept. */
    var read = (legacy ? undefined : decodeRead(parts[5], pages)) || unread(pages);
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
    return { attempts: attempts, flags: flags, best: best, answers: answers, read: read };
  }

  function fresh(questions, pages) {
    return { attempts: 0, flags: 0, best: null, answers: questions.map(emptyAnswer), read: unread(pages) };
  }

  SCM.suspend = { encode: encode, decode: decode, fresh: fresh, emptyAnswer: emptyAnswer, FLAGS: FLAGS };
})(window);
