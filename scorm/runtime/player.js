/* Smart City Manager learner runtime, part 3 of 3: views, the knowledge check and the result.
   All views live in one document so the LMS session is initialized once per launch; the page's JSON config
   (written by the renderer) supplies ids, answer keys, the pass mark and the runtime's German texts. */
(function (window, document) {
  "use strict";

  var SCM = window.SCM;
  var FLAGS = SCM.suspend.FLAGS;
  var config = JSON.parse(document.getElementById("scm-config").textContent);
  var questions = config.questions;
  var views = config.views.map(function (id) { return document.getElementById(id); });
  var QUIZ = views.length - 2;
  var RESULT = views.length - 1;
  var form = document.getElementById("scm-quiz");
  var live = document.getElementById("scm-live");
  var notice = document.getElementById("scm-notice");
  var nav = { prev: document.getElementById("scm-prev"), next: document.getElementById("scm-next") };
  var toc = {
    bar: document.getElementById("scm-toc-bar"),
    toggle: document.getElementById("scm-toc-toggle"),
    panel: document.getElementById("scm-toc"),
    links: Array.prototype.slice.call(document.querySelectorAll("#scm-toc a[data-page]"))
  };
  var current = 0;
  var opened = false;
  var finished = false;
  var state = SCM.suspend.fresh(questions, views.length);
  var lms = new SCM.Lms(config.version, function () { showNotice("lms_error"); });

  function text(key, values) {
    return config.strings[key].replace(/\{(\w+)\}/g, function (all, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function showNotice(key) {
    notice.textContent = text(key);
    notice.hidden = false;
  }

  function announce(message) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = message; }, 50);
  }

  function controls(index) {
    return Array.prototype.slice.call(
      document.getElementById("q-" + questions[index].slug).querySelectorAll("input, select"));
  }

  /* ---- answers: DOM <-> state ---- */

  function readAnswer(index) {
    var question = questions[index];
    var inputs = controls(index);
    switch (question.type) {
      case "single":
        var chosen = inputs.filter(function (input) { return input.checked; })[0];
        return chosen ? Number(chosen.value) : null;
      case "true-false":
        var picked = inputs.filter(function (input) { return input.checked; })[0];
        return picked ? picked.value === "1" : null;
      case "multiple":
        return inputs.map(function (input) { return input.checked; });
      default:
        return inputs.map(function (select) { return select.value === "" ? 0 : Number(select.value); });
    }
  }

  function writeAnswer(index, answer) {
    var question = questions[index];
    controls(index).forEach(function (input, position) {
      switch (question.type) {
        case "single": input.checked = answer === Number(input.value); break;
        case "true-false": input.checked = answer !== null && answer === (input.value === "1"); break;
        case "multiple": input.checked = answer[position]; break;
        default: input.value = answer[position] ? String(answer[position]) : "";
      }
    });
  }

  function isAnswered(question, answer) {
    switch (question.type) {
      case "single": case "true-false": return answer !== null;
      case "multiple": return answer.indexOf(true) >= 0;
      default: return answer.indexOf(0) < 0;
    }
  }

  /* ---- scoring ---- */

  function isCorrect(question, answer) {
    switch (question.type) {
      case "single": return question.key.indexOf(answer) >= 0;
      case "true-false": return answer === question.key;
      case "multiple":
        return answer.every(function (ticked, index) { return ticked === (question.key.indexOf(index) >= 0); });
      default:
        return answer.every(function (value, index) { return value === question.key[index]; });
    }
  }

  /* Ordering responses list the items by the positions the learner gave (ties keep screen order). */
  function orderedBy(positions, values) {
    return values.map(function (value, index) { return { value: value, position: positions[index], index: index }; })
      .sort(function (a, b) { return a.position - b.position || a.index - b.index; })
      .map(function (entry) { return entry.value; });
  }

  function letters(indices) {
    return indices.map(function (index) { return "abcdefgh".charAt(index); });
  }

  /* The interaction record in the version's vocabulary: 1.2 single characters, 2004 ids with [,] and [.]. */
  function interaction(question, answer) {
    var is12 = config.version === "1.2";
    var sep = is12 ? "," : "[,]";
    var pattern;
    var response;
    var type = { single: "choice", multiple: "choice", "true-false": "true-false", ordering: "sequencing",
      matching: "matching" }[question.type];
    if (question.type === "single" || question.type === "multiple") {
      var chosen = question.type === "single" ? [answer] :
        answer.map(function (ticked, index) { return ticked ? index : -1; }).filter(function (i) { return i >= 0; });
      pattern = is12 ? letters(question.key).join(sep) : question.key.map(function (i) { return question.ids[i]; }).join(sep);
      response = is12 ? letters(chosen).join(sep) : chosen.map(function (i) { return question.ids[i]; }).join(sep);
    } else if (question.type === "true-false") {
      pattern = is12 ? (question.key ? "t" : "f") : String(question.key);
      response = is12 ? (answer ? "t" : "f") : String(answer);
    } else if (question.type === "ordering") {
      var names = is12 ? question.key.map(function (position) { return "abcdefgh".charAt(position - 1); }) : question.ids;
      pattern = orderedBy(question.key, names).join(sep);
      response = orderedBy(answer, names).join(sep);
    } else {
      var pair = function (source, option) {
        return is12 ? (source + 1) + "." + "abcdefgh".charAt(question.ids.indexOf(question.options[option - 1]))
          : question.ids[source] + "[.]" + question.options[option - 1];
      };
      pattern = question.key.map(function (option, source) { return pair(source, option); }).join(sep);
      response = answer.map(function (option, source) { return pair(source, option); }).join(sep);
    }
    return { id: question.id, type: type, description: question.description, pattern: pattern,
      response: response, correct: isCorrect(question, answer) };
  }

  function countCorrect() {
    return questions.filter(function (question, index) { return isCorrect(question, state.answers[index]); }).length;
  }

  /* Percent of fully correct questions, floored so that raw >= pass mark exactly when the learner passed. */
  function percent(correct) {
    return Math.floor(correct * 100 / questions.length);
  }

  /* ---- persistence ---- */

  function save(commit) {
    if (!lms.isOnline()) { return; }
    lms.save(config.views[current], SCM.suspend.encode(state, questions));
    if (commit) { lms.commit(); }
  }

  /* ---- table of contents: a disclosure above the page, states as text, restored from suspend_data ---- */

  function updateToc() {
    toc.links.forEach(function (link) {
      var page = Number(link.getAttribute("data-page"));
      var key = page === current ? "toc_current" : state.read[page] ? "toc_read" : "toc_unread";
      link.querySelector(".toc-state").textContent = "(" + text(key) + ")";
      if (page === current) { link.setAttribute("aria-current", "page"); } else { link.removeAttribute("aria-current"); }
    });
    var done = config.lessonPages.filter(function (page) { return state.read[page]; }).length;
    document.getElementById("scm-lessons-done").textContent =
      text("lessons_done", { done: done, total: config.lessonPages.length });
  }

  function setTocOpen(open, focusToggle) {
    toc.panel.hidden = !open;
    toc.toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (focusToggle) { toc.toggle.focus(); }
  }

  function onTocLink(event) {
    event.preventDefault();
    setTocOpen(false, false);
    show(Number(event.currentTarget.getAttribute("data-page")), true);
  }

  function onTocKey(event) {
    if (event.key === "Escape" && !toc.panel.hidden) {
      event.preventDefault();
      setTocOpen(false, true);
    }
  }

  /* ---- views ---- */

  /* Leaving a page marks it read; the page a learner only opened stays "aktuell" until they move on. */
  function show(index, moveFocus) {
    if (opened && index !== current) { state.read[current] = true; }
    opened = true;
    current = index;
    views.forEach(function (view, position) { view.hidden = position !== index; });
    var heading = views[index].querySelector("h1");
    document.title = heading.textContent + config.titleSuffix;
    document.getElementById("scm-progress").textContent = text("page_of", { current: index + 1, total: views.length });
    updateToc();
    nav.prev.hidden = index === 0 || index === RESULT || finished;
    nav.next.hidden = index >= QUIZ && !(index === QUIZ && (state.flags & FLAGS.evaluated)) || finished;
    if (index === RESULT) { renderResult(); }
    if (moveFocus) { heading.focus(); }
    save(true);
  }

  function renderResult() {
    var correct = countCorrect();
    var score = percent(correct);
    var passed = score >= config.passMark;
    document.getElementById("scm-score").textContent =
      text("result_score", { correct: correct, total: questions.length, score: score });
    var verdict = document.getElementById("scm-verdict");
    verdict.textContent = text(passed ? "result_passed" : "result_failed", { pass_mark: config.passMark });
    verdict.className = "verdict " + (passed ? "passed" : "failed");
    var best = document.getElementById("scm-best");
    best.hidden = state.best === null || state.best <= score;
    best.textContent = text("result_best", { score: state.best });
    questions.forEach(function (question, index) {
      var answer = state.answers[index];
      var right = isCorrect(question, answer);
      var shown = { "v-ok": right, "v-wrong": !right, solution: !right, ok: right, wrong: !right };
      if (question.type === "single") { shown["c" + answer] = true; }
      if (question.type === "multiple") {
        answer.forEach(function (ticked, choice) { shown["c" + choice] = ticked; });
      }
      if (question.type === "true-false") { shown[answer ? "t1" : "t0"] = true; }
      var items = document.getElementById("fb-" + question.slug).querySelectorAll("[data-fb]");
      Array.prototype.forEach.call(items, function (item) { item.hidden = !shown[item.getAttribute("data-fb")]; });
    });
  }

  function onSubmit(event) {
    event.preventDefault();
    state.answers = questions.map(function (question, index) { return readAnswer(index); });
    var missing = [];
    questions.forEach(function (question, index) {
      if (!isAnswered(question, state.answers[index])) { missing.push(index); }
    });
    var error = document.getElementById("scm-quiz-error");
    if (missing.length) {
      error.textContent = text("missing_answers",
        { numbers: missing.map(function (index) { return index + 1; }).join(", ") });
      controls(missing[0])[0].focus();
      return;
    }
    error.textContent = "";
    var firstIndex = state.attempts * questions.length;
    state.attempts += 1;
    var correct = countCorrect();
    var score = percent(correct);
    state.best = state.best === null ? score : Math.max(state.best, score);
    state.flags |= FLAGS.evaluated | FLAGS.completed | (score >= config.passMark ? FLAGS.passed : 0);
    save(false);
    lms.report({
      firstIndex: firstIndex,
      interactions: questions.map(function (question, index) { return interaction(question, state.answers[index]); }),
      raw: state.best,
      passed: state.best >= config.passMark
    });
    show(RESULT, true);
    announce(text("announce_result",
      { score: score, verdict: text(score >= config.passMark ? "verdict_passed" : "verdict_failed") }));
  }

  function onAnswerChange(event) {
    var fieldset = event.target.closest("fieldset");
    var index = questions.map(function (q) { return "q-" + q.slug; }).indexOf(fieldset ? fieldset.id : "");
    if (index < 0) { return; }
    state.answers[index] = readAnswer(index);
    state.flags &= ~FLAGS.evaluated;
    nav.next.hidden = true;
    save(false);
  }

  function onRetry() {
    state.answers = questions.map(SCM.suspend.emptyAnswer);
    state.answers.forEach(function (answer, index) { writeAnswer(index, answer); });
    state.flags &= ~FLAGS.evaluated;
    show(QUIZ, true);
  }

  function onFinish() {
    finished = true;
    save(false);
    var online = lms.isOnline();
    lms.finish();
    document.getElementById("scm-result-actions").hidden = true;
    toc.bar.hidden = true;
    nav.prev.hidden = true;
    nav.next.hidden = true;
    var message = document.getElementById("scm-finished");
    message.textContent = text(online ? "finished" : "finished_no_lms");
    message.hidden = false;
    message.focus();
  }

  /* Resumes answers and view; a finished attempt's score stays the best so far, so a retry never lowers it. */
  function restore(saved) {
    var restored = SCM.suspend.decode(saved.suspendData, questions, views.length);
    if (restored) {
      state = restored;
      state.answers.forEach(function (answer, index) { writeAnswer(index, answer); });
    }
    if (saved.priorScore !== null && (state.best === null || state.best < saved.priorScore)) {
      state.best = saved.priorScore;
      state.flags |= FLAGS.completed | (saved.priorScore >= config.passMark ? FLAGS.passed : 0);
    }
    var index = config.views.indexOf(saved.location);
    if (index === RESULT && !(state.flags & FLAGS.evaluated)) { index = QUIZ; }
    return Math.max(index, 0);
  }

  function start() {
    var saved = lms.start();
    if (!lms.isOnline()) { showNotice("no_lms"); }
    var index = restore(saved);
    nav.prev.addEventListener("click", function () { show(current - 1, true); });
    nav.next.addEventListener("click", function () { show(current + 1, true); });
    form.addEventListener("submit", onSubmit);
    form.addEventListener("change", onAnswerChange);
    document.getElementById("scm-retry").addEventListener("click", onRetry);
    document.getElementById("scm-finish").addEventListener("click", onFinish);
    toc.toggle.addEventListener("click", function () { setTocOpen(toc.panel.hidden, false); });
    toc.bar.addEventListener("keydown", onTocKey);
    toc.links.forEach(function (link) { link.addEventListener("click", onTocLink); });
    toc.bar.hidden = false;
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { save(true); }
    });
    window.addEventListener("pagehide", function () {
      save(false);
      lms.finish();
    });
    show(index, index !== 0);
  }

  SCM.player = { state: function () { return state; }, questions: questions, pageCount: views.length };
  start();
})(window, document);
