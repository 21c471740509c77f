"""Session-kit sources for tests: mornings, worksheets and debriefs added to a copy of the starter course.

The built-in curriculum's mornings are written by the content team; these small fixtures follow the same
format (docs/source-format.md, "Vormittage") so loader, PDFs and the template course can be tested alone.
"""

from __future__ import annotations

from pathlib import Path

MORNING_1 = """\
number: 1
title: "Digitale Bürgerdienste verstehen"
objectives: [1, 2]
summary: >-
  Sie lernen die Grundbegriffe kennen und sammeln eigene Erfahrungen mit Behördengängen.
preparation: |-
  Öffnen Sie den Videoraum um 08:45 und legen Sie zwei Breakout-Räume an.
blocks:
  - start: "09:00"
    minutes: 20
    kind: check-in
    title: "Ankommen"
    method: "Blitzlicht"
    materials: ["Folie Begrüßung"]
    notes: |-
      Jede Person nennt in einem Satz ihren letzten Behördengang.
  - start: "09:20"
    minutes: 40
    kind: input
    title: "Was ist ein guter Bürgerdienst?"
    method: "Impulsvortrag"
    materials: ["Folien Modul 1", "Whiteboard"]
    notes: |-
      Kurzer Vortrag mit zwei Beispielen aus Musterstadt.
  - start: "10:00"
    minutes: 15
    kind: break
    title: "Pause"
  - start: "10:15"
    minutes: 60
    kind: exercise
    title: "Der letzte Behördengang"
    method: "Einzelarbeit und Austausch zu zweit"
    materials: ["Arbeitsblatt 1"]
    notes: |-
      Die Teilnehmenden füllen das Arbeitsblatt aus und tauschen sich im Breakout-Raum aus.
    activity: was-sind-buergerdienste
  - start: "11:15"
    minutes: 15
    kind: break
    title: "Pause"
  - start: "11:30"
    minutes: 70
    kind: plenary
    title: "Ergebnisse sammeln"
    method: "Moderierte Diskussion"
    materials: ["Whiteboard"]
    notes: |-
      Sammeln Sie die Ergebnisse auf dem Whiteboard.
  - start: "12:40"
    minutes: 20
    kind: reflection
    title: "Abschluss"
    method: "Daumenprobe"
    notes: |-
      Was nehmen Sie mit?
"""

MORNING_2 = """\
number: 2
title: "Beteiligung im World Café"
objectives: [2]
summary: >-
  Sie erproben ein World Café zur Frage, wie Menschen an digitalen Diensten mitwirken.
preparation: |-
  Legen Sie vier Breakout-Räume und eine Pinnwand je Tisch an.
blocks:
  - start: "09:00"
    minutes: 15
    kind: check-in
    title: "Einstieg"
    method: "Blitzlicht"
    notes: |-
      Kurze Runde zur Stimmung.
  - start: "09:15"
    minutes: 45
    kind: input
    title: "Vom Vorhaben zum Dienst"
    method: "Impulsvortrag"
    materials: ["Folien Modul 2"]
    notes: |-
      Die Schritte eines Vorhabens an einem Beispiel aus dem Landkreis Beispielkreis.
    activity: vorhaben-planen
  - start: "10:00"
    minutes: 10
    kind: break
    title: "Pause"
  - start: "10:10"
    minutes: 80
    kind: exercise
    title: "World Café: Beteiligung"
    method: "World Café"
    materials: ["Pinnwand je Tisch"]
    notes: |-
      Die Gastgeberinnen und Gastgeber bleiben im Raum, alle anderen wechseln.
    activity: beteiligung
    world_cafe:
      tables: 4
      table_hosts: |-
        Je Tisch eine Gastgeberin oder ein Gastgeber; sie fassen die vorige Runde zusammen.
      rounds:
        - question: "Wen erreichen wir mit einer Online-Umfrage nicht?"
          minutes: 20
        - question: "Was braucht eine gute Werkstatt?"
          minutes: 20
        - question: "Welcher erste Schritt ist morgen möglich?"
          minutes: 20
      harvest: |-
        Jeder Tisch nennt im Plenum seine drei wichtigsten Punkte.
  - start: "11:30"
    minutes: 20
    kind: break
    title: "Pause"
  - start: "11:50"
    minutes: 55
    kind: plenary
    title: "Ernte"
    method: "Plenum"
    notes: |-
      Ordnen Sie die Punkte nach Themen.
  - start: "12:45"
    minutes: 15
    kind: reflection
    title: "Abschluss"
    method: "Blitzlicht"
    notes: |-
      Jede Person nennt einen nächsten Schritt.
"""

DEBRIEF = (
    "Gute Antworten nennen mindestens zwei konkrete Schritte und begründen, warum sie online leichter "
    "wären, etwa weil Wartezeiten entfallen oder Unterlagen nur einmal eingereicht werden müssen. "
    "Achten Sie in der Nachbesprechung darauf, dass auch Grenzen genannt werden: Nicht jeder Dienst "
    "passt vollständig ins Netz, und Beratung vor Ort bleibt für manche Menschen wichtig."
)

_TEXT_WORKSHEET = f"""\
  worksheet:
    intro: "Notieren Sie Ihre Gedanken in Stichworten."
    fields:
      - label: "Welche Schritte hätten Sie gern online erledigt?"
        lines: 4
      - label: "Warum?"
        lines: 3
  debrief: >-
    {DEBRIEF}
"""

_TABLE_WORKSHEET = f"""\
  worksheet:
    fields:
      - table:
          caption: "Schritte und Zuständigkeiten"
          columns: ["Schritt", "Wer?", "Bis wann?"]
          rows: 4
      - label: "Größtes Risiko"
        lines: 2
  debrief: >-
    {DEBRIEF}
"""

_SELF_STUDY = (
    "  self_study: >-\n    Die Aufgabe vertieft die Lektion allein; am Vormittag fehlt dafür die Zeit.\n"
)

ACTIVITY_EXTRAS = {
    "modules/01-grundlagen/lessons/01-was-sind-buergerdienste.md": _TEXT_WORKSHEET,
    "modules/01-grundlagen/lessons/02-beteiligte.md": _TABLE_WORKSHEET + _SELF_STUDY,
    "modules/02-umsetzung/lessons/01-vorhaben-planen.md": _TABLE_WORKSHEET,
    "modules/02-umsetzung/lessons/02-beteiligung.md": _TEXT_WORKSHEET,
    "modules/02-umsetzung/lessons/03-fallbeispiel.md": _TEXT_WORKSHEET + _SELF_STUDY,
}
"""Front matter added at the end of each starter activity (activity is the last key of each front matter)."""


def add_session_kits(course: Path) -> Path:
    """Turns a copy of the starter course into one with complete session kits (mornings 1 and 2)."""
    (course / "modules/01-grundlagen/mornings").mkdir()
    (course / "modules/01-grundlagen/mornings/01.yaml").write_text(MORNING_1, encoding="utf-8")
    (course / "modules/02-umsetzung/mornings").mkdir()
    (course / "modules/02-umsetzung/mornings/02.yaml").write_text(MORNING_2, encoding="utf-8")
    for rel, extra in ACTIVITY_EXTRAS.items():
        path = course / rel
        head, closing, body = path.read_text(encoding="utf-8")[4:].partition("\n---\n")
        path.write_text(f"---\n{head}\n{extra.rstrip()}{closing}{body}", encoding="utf-8")
    course_yaml = course / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    text = text.replace("    title: Auftakt und Grundlagen\n", "").replace(
        "    title: Vom Vorhaben zur Umsetzung\n", ""
    )
    course_yaml.write_text(text, encoding="utf-8")
    return course
