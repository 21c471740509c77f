/* "Zertifikat prüfen": reads the signed facts embedded in a certificate PDF and verifies them in the browser
   (WebCrypto Ed25519) against the keys built into this page, then checks the signed revocation list. */
"use strict";
(function () {
  const CERT_FORMAT = "scm-lms-zertifikat/1";
  const REVOKED_FORMAT = "scm-lms-sperrliste/1";
  const ISSUED_FORMAT = "scm-lms-ausgestellt/1";
  const ATTACHMENT = "zertifikat.json";
  const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const FACT_KEYS = ["date", "durchgang", "hours", "issuer", "modules", "name", "number", "programme"];
  const OPTIONAL_KEYS = ["mornings", "period"]; /* signed since the attendance rule (issue 11) */
  const LABEL = {
    valid: "gültig",
    revoked: "gesperrt",
    tampered: "verändert oder nicht von uns ausgestellt",
    unknown: "unbekannt",
  };
  const SYMBOL = { valid: "✓", revoked: "✗", tampered: "✗", unknown: "?" };
  const keys = Array.isArray(window.scmSchluessel) ? window.scmSchluessel : [];
  const state = { revoked: null, revokedProblem: "", issued: null, issuedProblem: "", issuedPublished: false };

  function b64(text) {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function supported() {
    return typeof crypto !== "undefined" && crypto.subtle && typeof crypto.subtle.importKey === "function";
  }

  /* WebCrypto's Ed25519 where the browser has it; else @noble/ed25519 (ed25519-fallback.js), strict RFC 8032
     like WebCrypto, so both accept exactly the same signatures. */
  async function verifySignature(keyRow, message, signature) {
    let publicKey;
    let sig;
    try {
      publicKey = b64(keyRow.public);
      sig = b64(signature);
    } catch (error) {
      return false;
    }
    if (sig.length !== 64 || publicKey.length !== 32) return false;
    const data = new TextEncoder().encode(message);
    let key = null;
    try {
      key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
    } catch (error) {
      key = null;
    }
    if (key) return crypto.subtle.verify({ name: "Ed25519" }, key, sig, data);
    const fallback = globalThis.scmEd25519Fallback;
    if (!fallback) throw new Error("unsupported");
    try {
      return await fallback.verifyAsync(sig, data, publicKey, { zip215: false });
    } catch (error) {
      return false;
    }
  }

  /* Signed lists: only the current key (first in the list) signs them. */
  async function checkList(record, format) {
    if (!record || typeof record !== "object") return { problem: "fehlt" };
    if (record.format !== format || typeof record.list !== "string") return { problem: "unbekanntes Format" };
    const current = keys[0];
    if (!current || record.key_id !== current.key_id) {
      return { problem: "mit einem anderen als dem aktuellen Schlüssel signiert – abgelehnt" };
    }
    let ok = false;
    try {
      ok = await verifySignature(current, record.list, String(record.signature || ""));
    } catch (error) {
      return { problem: "dieser Browser kann Ed25519-Signaturen nicht prüfen" };
    }
    if (!ok) return { problem: "Signatur passt nicht – abgelehnt" };
    try {
      return { content: JSON.parse(record.list) };
    } catch (error) {
      return { problem: "Inhalt nicht lesbar – abgelehnt" };
    }
  }

  function germanDate(iso) {
    const date = new Date(iso);
    if (isNaN(date.getTime())) return iso;
    return date.toLocaleString("de-DE", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Berlin" });
  }

  function age(iso) {
    const ms = Date.now() - new Date(iso).getTime();
    if (isNaN(ms)) return "";
    const hours = Math.floor(ms / 3600000);
    if (hours < 1) return "weniger als eine Stunde alt";
    if (hours < 48) return hours === 1 ? "1 Stunde alt" : hours + " Stunden alt";
    return Math.floor(hours / 24) + " Tage alt";
  }

  function listItem(text, warn) {
    const li = document.createElement("li");
    li.textContent = text;
    if (warn) li.className = "warning";
    document.getElementById("lists").appendChild(li);
  }

  async function loadLists() {
    const revoked = await checkList(window.scmSperrliste, REVOKED_FORMAT);
    if (revoked.content && Array.isArray(revoked.content.revoked)) {
      state.revoked = new Map(revoked.content.revoked.map((row) => [row.number, row]));
      state.revokedCreated = revoked.content.created;
      listItem("Sperrliste: Signatur gültig, " + state.revoked.size + " gesperrte Nummern, Stand "
        + germanDate(revoked.content.created) + " (" + age(revoked.content.created) + ").", false);
    } else {
      state.revokedProblem = revoked.problem || "Inhalt nicht lesbar – abgelehnt";
      listItem("Sperrliste abgelehnt: " + state.revokedProblem + ". Ob ein Zertifikat gesperrt ist, "
        + "kann hier nicht geprüft werden.", true);
    }
    state.issuedPublished = window.scmAusgestellt !== null && window.scmAusgestellt !== undefined;
    if (!state.issuedPublished) {
      listItem("Liste der ausgestellten Zertifikate: nicht veröffentlicht (Datenschutz). "
        + "Die Nummernsuche zeigt nur, ob eine Nummer gesperrt ist.", false);
      return;
    }
    const issued = await checkList(window.scmAusgestellt, ISSUED_FORMAT);
    if (issued.content && Array.isArray(issued.content.certificates)) {
      state.issued = new Map(issued.content.certificates.map((row) => [row.number, row]));
      state.issuedCreated = issued.content.created;
      listItem("Liste der ausgestellten Zertifikate: Signatur gültig, Stand "
        + germanDate(issued.content.created) + " (" + age(issued.content.created) + ").", false);
    } else {
      state.issuedProblem = issued.problem || "Inhalt nicht lesbar – abgelehnt";
      listItem("Liste der ausgestellten Zertifikate abgelehnt: " + state.issuedProblem + ".", true);
    }
  }

  function show(status, checks, facts) {
    const box = document.createElement("div");
    box.className = "verdict " + status;
    box.dataset.status = status;
    const heading = document.createElement("h3");
    heading.tabIndex = -1;
    heading.textContent = SYMBOL[status] + " " + LABEL[status];
    box.appendChild(heading);
    if (facts) {
      const dl = document.createElement("dl");
      for (const [label, value] of facts) {
        const dt = document.createElement("dt");
        dt.textContent = label;
        const dd = document.createElement("dd");
        dd.textContent = value;
        dl.append(dt, dd);
      }
      box.appendChild(dl);
    }
    const p = document.createElement("p");
    p.textContent = "Geprüft:";
    const ul = document.createElement("ul");
    for (const check of checks) {
      const li = document.createElement("li");
      li.textContent = check;
      ul.appendChild(li);
    }
    box.append(p, ul);
    const result = document.getElementById("result");
    result.replaceChildren(box);
    heading.focus();
  }

  /* --- PDF: find the embedded file streams and the one holding zertifikat.json --------------------- */
  function latin1(bytes) {
    let out = "";
    for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
    return out;
  }

  async function inflate(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function embeddedRecords(bytes) {
    const text = latin1(bytes);
    const records = [];
    const pattern = /\/Type\s*\/EmbeddedFile\b/g;
    let match;
    while ((match = pattern.exec(text)) !== null) {
      const dictStart = text.lastIndexOf("obj", match.index);
      const streamAt = text.indexOf("stream", match.index);
      if (dictStart < 0 || streamAt < 0) continue;
      const dict = text.slice(dictStart, streamAt);
      let start = streamAt + 6;
      if (text[start] === "\r") start++;
      if (text[start] === "\n") start++;
      const lengthMatch = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
      let end = lengthMatch ? start + Number(lengthMatch[1]) : text.indexOf("endstream", start);
      if (end < start || end > bytes.length) continue;
      let data = bytes.subarray(start, end);
      if (/\/Filter\s*\/FlateDecode/.test(dict)) {
        try { data = await inflate(data); } catch (error) { continue; }
      } else if (/\/Filter/.test(dict)) {
        continue;
      }
      try {
        const record = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data));
        if (record && typeof record === "object" && "format" in record) records.push(record);
      } catch (error) { /* another attachment, not ours */ }
    }
    return records;
  }

  function factsProblem(facts) {
    if (!facts || typeof facts !== "object" || Array.isArray(facts)) return "keine Zertifikatsangaben";
    const found = Object.keys(facts).filter((key) => !OPTIONAL_KEYS.includes(key)).sort();
    if (found.join() !== FACT_KEYS.join()) return "Felder fehlen oder sind zu viel";
    if ("period" in facts && !(facts.period && typeof facts.period.first === "string"
        && typeof facts.period.last === "string")) return "Zeitraum fehlerhaft";
    if ("mornings" in facts && !(facts.mornings && Number.isInteger(facts.mornings.attended)
        && Number.isInteger(facts.mornings.of))) return "Vormittage fehlerhaft";
    for (const key of ["date", "durchgang", "issuer", "name", "number", "programme"]) {
      if (typeof facts[key] !== "string") return "Feld " + key + " ist kein Text";
    }
    if (!Number.isInteger(facts.hours) || !Array.isArray(facts.modules)) return "Stunden oder Module fehlerhaft";
    return "";
  }

  function factRows(facts) {
    const rows = [
      ["Name", facts.name],
      ["Programm", facts.programme],
      ["Durchgang", facts.durchgang],
    ];
    if (facts.period) rows.push(["Zeitraum", formatDay(facts.period.first) + " bis " + formatDay(facts.period.last)]);
    rows.push(
      ["Ausgestellt am", formatDay(facts.date)],
      ["Nummer", facts.number],
      ["Aussteller", facts.issuer],
      ["Umfang", facts.hours + " Stunden"],
    );
    if (facts.mornings) rows.push(["Live-Vormittage", facts.mornings.attended + " von " + facts.mornings.of]);
    return rows;
  }

  function formatDay(iso) {
    const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts) return iso;
    return new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]))
      .toLocaleDateString("de-DE", { dateStyle: "long", timeZone: "UTC" });
  }

  function revocationCheck(number, checks) {
    if (state.revoked === null) {
      checks.push("Sperrliste: abgelehnt (" + state.revokedProblem + "), Sperrstatus nicht prüfbar");
      return "unchecked";
    }
    const row = state.revoked.get(number);
    const stand = " (Stand " + germanDate(state.revokedCreated) + ")";
    if (row) {
      checks.push("Sperrliste: Nummer gesperrt am " + germanDate(row.revoked_at) + stand);
      return "revoked";
    }
    checks.push("Sperrliste: Nummer nicht gesperrt" + stand);
    return "clear";
  }

  async function checkPdf(file) {
    const checks = ["Datei: " + file.name];
    if (!supported()) {
      show("unknown", checks.concat("Dieser Browser kann Signaturen nicht prüfen (WebCrypto fehlt)."));
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (latin1(bytes.subarray(0, 1024)).indexOf("%PDF-") < 0) {
      show("unknown", checks.concat("Die Datei ist kein PDF."));
      return;
    }
    const records = (await embeddedRecords(bytes)).filter((r) => r.format === CERT_FORMAT);
    if (records.length === 0) {
      show("unknown", checks.concat("Keine eingebetteten Zertifikatsangaben (" + ATTACHMENT + ") gefunden."));
      return;
    }
    const distinct = new Set(records.map((r) => JSON.stringify(r)));
    if (distinct.size > 1) {
      show("tampered", checks.concat("Das PDF enthält mehrere verschiedene Zertifikatsangaben."));
      return;
    }
    const record = records[0];
    if (typeof record.facts !== "string") {
      show("tampered", checks.concat("Eingebettete Angaben sind beschädigt."));
      return;
    }
    const keyRow = keys.find((k) => k.key_id === record.key_id);
    if (!keyRow) {
      show("tampered", checks.concat("Signiert mit Schlüssel " + String(record.key_id)
        + ", der nicht zu unseren veröffentlichten Schlüsseln gehört."));
      return;
    }
    let ok;
    try {
      ok = await verifySignature(keyRow, record.facts, String(record.signature || ""));
    } catch (error) {
      show("unknown", checks.concat("Dieser Browser kann Ed25519-Signaturen nicht prüfen; bitte einen aktuellen Browser nutzen."));
      return;
    }
    if (!ok) {
      show("tampered", checks.concat("Signatur (Ed25519, Schlüssel " + keyRow.key_id
        + ") passt nicht zu den eingebetteten Angaben."));
      return;
    }
    let facts;
    try { facts = JSON.parse(record.facts); } catch (error) { facts = null; }
    const problem = factsProblem(facts);
    if (problem) {
      show("tampered", checks.concat("Signierte Angaben sind kein Zertifikat: " + problem + "."));
      return;
    }
    checks.push("Signatur: gültig (Ed25519, " + (keyRow.role === "aktuell" ? "aktueller" : "früherer, weiterhin gültiger")
      + " Schlüssel " + keyRow.key_id + ")");
    const revocation = revocationCheck(facts.number, checks);
    checks.push("Bitte vergleichen: Die oben angezeigten Angaben müssen mit dem sichtbaren Text des PDFs übereinstimmen.");
    const status = revocation === "revoked" ? "revoked" : revocation === "clear" ? "valid" : "unknown";
    show(status, checks, factRows(facts));
  }

  /* --- number lookup ---------------------------------------------------------------------------- */
  function checkChar(text) {
    const chars = text.toUpperCase().split("").filter((c) => ALPHABET.indexOf(c) >= 0);
    let total = 0;
    let factor = 2;
    for (let i = chars.length - 1; i >= 0; i--) {
      const addend = factor * ALPHABET.indexOf(chars[i]);
      total += Math.floor(addend / 32) + (addend % 32);
      factor = 3 - factor;
    }
    return ALPHABET[(32 - (total % 32)) % 32];
  }

  function checkNumber(raw) {
    const number = raw.trim().toUpperCase();
    const checks = ["Nummer: " + (number || "(leer)")];
    if (number.length < 2 || ALPHABET.indexOf(number[number.length - 1]) < 0
        || checkChar(number.slice(0, -1)) !== number[number.length - 1]) {
      show("unknown", checks.concat("Keine gültige Zertifikatsnummer (Prüfzeichen stimmt nicht – Tippfehler?)."));
      return;
    }
    checks.push("Prüfzeichen: stimmt");
    const revocation = revocationCheck(number, checks);
    if (revocation === "revoked") {
      const row = state.issued ? state.issued.get(number) : null;
      show("revoked", checks, row ? issuedRows(row) : null);
      return;
    }
    if (!state.issuedPublished) {
      checks.push("Ausgestellte Zertifikate werden hier nicht veröffentlicht (Datenschutz). "
        + "Ob die Nummer ausgestellt wurde und wem, zeigt die Prüfung der PDF-Datei.");
      show("unknown", checks);
      return;
    }
    if (state.issued === null) {
      checks.push("Liste der ausgestellten Zertifikate: abgelehnt (" + state.issuedProblem + ")");
      show("unknown", checks);
      return;
    }
    const row = state.issued.get(number);
    const stand = " (Stand " + germanDate(state.issuedCreated) + ")";
    if (!row) {
      checks.push("Liste der ausgestellten Zertifikate: Nummer nicht enthalten" + stand);
      show("unknown", checks);
      return;
    }
    checks.push("Liste der ausgestellten Zertifikate: Nummer enthalten, Liste signiert" + stand);
    if (revocation !== "clear") {
      show("unknown", checks, issuedRows(row));
      return;
    }
    show("valid", checks, issuedRows(row));
  }

  function issuedRows(row) {
    return [
      ["Name", row.name],
      ["Programm", row.programme],
      ["Durchgang", row.durchgang],
      ["Ausgestellt am", formatDay(row.date)],
      ["Nummer", row.number],
    ];
  }

  /* --- wiring ------------------------------------------------------------------------------------ */
  const ready = loadLists();
  const input = document.getElementById("pdf-file");
  input.addEventListener("change", async () => {
    await ready;
    if (input.files && input.files[0]) await checkPdf(input.files[0]);
  });
  const zone = document.getElementById("dropzone");
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", async (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    await ready;
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (file) await checkPdf(file);
  });
  document.getElementById("number-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await ready;
    checkNumber(document.getElementById("number").value);
  });
  const code = new URLSearchParams(location.search).get("code");
  if (code) {
    document.getElementById("number").value = code;
    ready.then(() => checkNumber(code));
  }
  ready.then(() => document.body.setAttribute("data-ready", "1"));
})();
