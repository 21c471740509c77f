"""The knowledge check as a QTI 1.2.1 assessment in the IMS Common Cartridge 1.1 profile.

Moodle imports multiple choice, multiple response and true/false from CC QTI, each with per-answer feedback.
CC QTI has no ordering or matching type, so those become one multiple-choice question whose options are
complete orders (or complete assignments): the correct one plus up to three rotations/reversals of it. The
learner still has to know the whole sequence, and the question still counts once, as in the SCORM quiz.

The response processing is shaped for Moodle's CC 1.1 converter (rules as facts in
`tests/moodle_cc_facts.py`): true/false answers must be identified `true`/`false`; an answer's fraction comes
from the last condition whose first `varequal` names it; multiple-response right answers are the
`varequal case="Yes"` (not under `not`) of the condition setting SCORE to 100; and every `continue="Yes"`
condition's feedback is merged into the general feedback, so only the score-only MR condition continues.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from lxml import etree

from course_package.model import (
    ChoiceQuestion,
    MatchingQuestion,
    OrderingQuestion,
    Question,
    Quiz,
    TrueFalseQuestion,
)
from scorm import xsd
from scorm.manifest import serialize, sub

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_SCHEMA_LOCATION = f"{QTI} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd"
RESPONSE = "response1"
TRUE_IDENT = "true"
FALSE_IDENT = "false"
"""Moodle's converter refuses a true/false item whose answers are identified otherwise."""

Profile = Literal["cc.multiple_choice.v0p1", "cc.multiple_response.v0p1", "cc.true_false.v0p1"]


@dataclass(frozen=True)
class Answer:
    ident: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Item:
    """One CC QTI question, already in a type Moodle's importer understands."""

    ident: str
    profile: Profile
    prompt: str
    answers: tuple[Answer, ...]


def items(quiz: Quiz, prefix: str) -> tuple[Item, ...]:
    return tuple(_item(question, f"{prefix}-{question.id}") for question in quiz.questions)


def _item(question: Question, ident: str) -> Item:
    if isinstance(question, ChoiceQuestion):
        profile: Profile = (
            "cc.multiple_choice.v0p1" if question.type == "single" else "cc.multiple_response.v0p1"
        )
        answers = tuple(Answer(f"{ident}-{c.id}", c.text, c.correct, c.feedback) for c in question.choices)
        return Item(ident, profile, question.prompt, answers)
    if isinstance(question, TrueFalseQuestion):
        return Item(
            ident,
            "cc.true_false.v0p1",
            question.prompt,
            (
                Answer(TRUE_IDENT, "Richtig", question.answer, question.feedback_true),
                Answer(FALSE_IDENT, "Falsch", not question.answer, question.feedback_false),
            ),
        )
    if isinstance(question, OrderingQuestion):
        texts = [item.text for item in question.items]
        return _sequence_item(ident, question.prompt, texts, " → ".join, question)
    pairs = [(pair.prompt, pair.match) for pair in question.pairs]
    prompts = [prompt for prompt, _ in pairs]

    def assignment(matches: list[str]) -> str:
        return "; ".join(f"{prompt} = {match}" for prompt, match in zip(prompts, matches, strict=True))

    return _sequence_item(ident, question.prompt, [match for _, match in pairs], assignment, question)


def _sequence_item(
    ident: str,
    prompt: str,
    correct: list[str],
    label: Callable[[list[str]], str],
    question: OrderingQuestion | MatchingQuestion,
) -> Item:
    """Multiple choice over whole sequences; option order is a stable hash so position reveals nothing."""
    candidates = [
        correct,
        list(reversed(correct)),
        *(correct[k:] + correct[:k] for k in range(1, len(correct))),
    ]
    options: list[list[str]] = []
    for candidate in candidates:
        if candidate not in options:
            options.append(candidate)
    options = options[:4]
    answers = [
        Answer(
            f"{ident}-option{number}",
            label(option),
            option == correct,
            question.feedback_correct if option == correct else question.feedback_incorrect,
        )
        for number, option in enumerate(options, start=1)
    ]
    answers.sort(key=lambda answer: hashlib.sha256(answer.text.encode()).hexdigest())
    return Item(ident, "cc.multiple_choice.v0p1", prompt, tuple(answers))


def assessment(ident: str, title: str, quiz_items: tuple[Item, ...]) -> bytes:
    root = etree.Element(f"{{{QTI}}}questestinterop", nsmap={None: QTI, "xsi": xsd.XSI_NS})
    root.set(f"{{{xsd.XSI_NS}}}schemaLocation", QTI_SCHEMA_LOCATION)
    test = sub(root, f"{{{QTI}}}assessment", ident=ident, title=title)
    _metadata(
        sub(test, f"{{{QTI}}}qtimetadata"),
        {"cc_profile": "cc.exam.v0p1", "qmd_assessmenttype": "Examination", "cc_maxattempts": "unlimited"},
    )
    section = sub(test, f"{{{QTI}}}section", ident=f"{ident}-SECTION")
    for item in quiz_items:
        _write_item(section, item)
    return serialize(root)


def _metadata(parent: etree._Element, fields: dict[str, str]) -> None:
    for label, entry in fields.items():
        field = sub(parent, f"{{{QTI}}}qtimetadatafield")
        sub(field, f"{{{QTI}}}fieldlabel", label)
        sub(field, f"{{{QTI}}}fieldentry", entry)


def _material(parent: etree._Element, text: str) -> None:
    sub(sub(parent, f"{{{QTI}}}material"), f"{{{QTI}}}mattext", text, texttype="text/plain")


def prompt_html(text: str) -> str:
    """The question text as HTML with every non-ASCII character a numeric reference: Moodle's converter
    re-parses question texts with PHP's `DOMDocument::loadHTML`, which reads undeclared bytes as
    ISO-8859-1 and would turn UTF-8 umlauts into mojibake; references survive any charset."""
    return html.escape(text, quote=False).encode("ascii", "xmlcharrefreplace").decode("ascii")


def feedback_ident(item: Item, answer: Answer) -> str:
    """Unique across the file even for true/false, whose answer idents are the same in every item."""
    base = answer.ident if answer.ident.startswith(f"{item.ident}-") else f"{item.ident}-{answer.ident}"
    return f"{base}-fb"


def _write_item(section: etree._Element, item: Item) -> None:
    node = sub(section, f"{{{QTI}}}item", ident=item.ident, title=item.prompt[:200])
    _metadata(
        sub(sub(node, f"{{{QTI}}}itemmetadata"), f"{{{QTI}}}qtimetadata"),
        {"cc_profile": item.profile, "cc_weighting": "1"},
    )
    presentation = sub(node, f"{{{QTI}}}presentation")
    sub(
        sub(presentation, f"{{{QTI}}}material"),
        f"{{{QTI}}}mattext",
        prompt_html(item.prompt),
        texttype="text/html",
    )
    cardinality = "Multiple" if item.profile == "cc.multiple_response.v0p1" else "Single"
    response = sub(presentation, f"{{{QTI}}}response_lid", ident=RESPONSE, rcardinality=cardinality)
    choices = sub(response, f"{{{QTI}}}render_choice")
    for answer in item.answers:
        _material(sub(choices, f"{{{QTI}}}response_label", ident=answer.ident), answer.text)
    _processing(node, item)
    for answer in item.answers:
        feedback = sub(node, f"{{{QTI}}}itemfeedback", ident=feedback_ident(item, answer))
        _material(sub(feedback, f"{{{QTI}}}flow_mat"), answer.feedback)


def _processing(node: etree._Element, item: Item) -> None:
    """Single choice: one exclusive condition per answer (score and feedback together). Multiple response:
    the all-or-nothing score condition first, continuing, then one feedback condition per answer."""
    processing = sub(node, f"{{{QTI}}}resprocessing")
    sub(
        sub(processing, f"{{{QTI}}}outcomes"),
        f"{{{QTI}}}decvar",
        varname="SCORE",
        vartype="Decimal",
        minvalue="0",
        maxvalue="100",
    )
    multiple = item.profile == "cc.multiple_response.v0p1"
    if multiple:
        correct = sub(processing, f"{{{QTI}}}respcondition", title="Richtig", **{"continue": "Yes"})
        both = sub(sub(correct, f"{{{QTI}}}conditionvar"), f"{{{QTI}}}and")
        for answer in item.answers:
            parent = both if answer.correct else sub(both, f"{{{QTI}}}not")
            sub(parent, f"{{{QTI}}}varequal", answer.ident, respident=RESPONSE, case="Yes")
        sub(correct, f"{{{QTI}}}setvar", "100", action="Set", varname="SCORE")
    for answer in item.answers:
        condition = sub(
            processing, f"{{{QTI}}}respcondition", title=f"Antwort {answer.ident}", **{"continue": "No"}
        )
        sub(
            sub(condition, f"{{{QTI}}}conditionvar"),
            f"{{{QTI}}}varequal",
            answer.ident,
            respident=RESPONSE,
            case="Yes",
        )
        if answer.correct and not multiple:
            sub(condition, f"{{{QTI}}}setvar", "100", action="Set", varname="SCORE")
        sub(
            condition,
            f"{{{QTI}}}displayfeedback",
            feedbacktype="Response",
            linkrefid=feedback_ident(item, answer),
        )
