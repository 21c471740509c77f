"""How Moodle's Common Cartridge 1.1 converter turns a CC QTI assessment into quiz questions, as facts.

Read from moodle/moodle (stored copy via the search tools, 2026-12):
- `backup/cc/entity11.quiz.class.php`, class `cc11_quiz` (methods named at each fact),
- `backup/cc/includes/constants.php` (profile → Moodle question type),
- `backup/cc/entity11.resource.class.php` and `backup/cc/entities.class.php` (webcontent pages).
Only the XPath expressions and the decisions around them are written down here, in our words; `imported`
applies them with lxml the way the converter applies them with PHP's DOMXPath, so tests can predict the
fractions an import gives without a Moodle. The converter binds the QTI namespace to the prefix `xmlns`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
NAMESPACES = {"xmlns": QTI}

# get_questions: only items directly in the assessment's section are read.
ITEMS = "/xmlns:questestinterop/xmlns:assessment/xmlns:section/xmlns:item"
# get_question_type: the `cc_profile` field of the item's metadata decides the Moodle type.
PROFILE_FIELDS = '//xmlns:item[@ident="{item}"]/xmlns:itemmetadata/xmlns:qtimetadata/xmlns:qtimetadatafield'
MOODLE_TYPES = {  # includes/constants.php CC_QUIZ_* → MOODLE_QUIZ_*
    "cc.multiple_choice.v0p1": "multichoice",
    "cc.multiple_response.v0p1": "multichoice",
    "cc.true_false.v0p1": "truefalse",
    "cc.essay.v0p1": "essay",
    "cc.fib.v0p1": "shortanswer",
    "cc.pattern_match.v0p1": "shortanswer",
}
"""No matching, ordering or drag-and-drop type exists on the import side."""
# get_answers (choice types): the answers, their ident and their text.
ANSWERS = (
    '//xmlns:item[@ident="{item}"]/xmlns:presentation/xmlns:response_lid/xmlns:render_choice/xmlns:response_label'
)
ANSWERS_WITH_FLOW = (
    '//xmlns:item[@ident="{item}"]/xmlns:presentation/xmlns:flow/xmlns:response_lid'
    "/xmlns:render_choice/xmlns:response_label"
)
ANSWER_IDENT = "@ident"
ANSWER_TEXT = "xmlns:material/xmlns:mattext"
# get_score / get_feedback: every respcondition of the item, keyed by its FIRST direct varequal (compared
# case-insensitively with the answer ident). get_score keeps the setvar of the LAST matching condition (a
# later matching condition without setvar resets it) and maps empty or "0" to 0 %, anything else to 100 %.
CONDITIONS = '//xmlns:item[@ident="{item}"]/xmlns:resprocessing/xmlns:respcondition'
CONDITION_KEY = "xmlns:conditionvar/xmlns:varequal"
CONDITION_SCORE = "xmlns:setvar"
CONDITION_FEEDBACK = "xmlns:displayfeedback/@linkrefid"
FEEDBACK_TEXT = (
    '//xmlns:item[@ident="{item}"]/xmlns:itemfeedback[@ident="{feedback}"]'
    "/xmlns:flow_mat/xmlns:material/xmlns:mattext"
)
# get_answers for cc.multiple_response: the right answers are these nodes (exact ident match); each gets
# round(1/n, 7); every other answer keeps its get_score value (so never a negative fraction).
MR_RIGHT_ANSWERS = (
    "//xmlns:item[@ident='{item}']//xmlns:setvar[@varname='SCORE'][.=100]/../xmlns:conditionvar"
    "//xmlns:varequal[@case='Yes'][not(parent::xmlns:not)]"
)
# get_general_feedback: every condition whose `continue` is "yes" (any case) contributes all its
# displayfeedback texts to the question's general feedback, shown to every learner after answering.
GENERAL_FEEDBACK_CONDITION = "yes"
# create_..._true_false: answers must be identified exactly "true" and "false" (both present), otherwise
# coding_exception "Unknown answer identifier detected in true/false quiz question" stops the import.
TRUE_FALSE_IDENTS = ("true", "false")
# get_defaultgrade: cc_weighting as int in 0..99, else 1.
WEIGHT_FIELD = "cc_weighting"

# Webcontent (cc11_resource::create_node_course_modules_mod_resource, entities::prepare_content): an
# html/htm/xhtml resource becomes an html resource (page) whose text is the file's <body> content (regex
# on <body>…</body>; the <head> with its stylesheet links is dropped), re-encoded to UTF-8 only if it is not
# valid UTF-8, then clean_param(PARAM_CLEANHTML). Relative href/src values (no "://") that resolve to a file
# in the cartridge are rewritten to the copied course file; html files are NOT copied (get_all_files skips
# them), so links between pages do not survive, while links to worksheets (pdf, docx, …) do.
PAGE_BODY = r"<body[^>]*>(.+)</body>"
PAGE_LOCAL_LINKS = ("href", "src", "background", "archive", "code")
PAGE_NOT_COPIED = ("html", "htm", "xhtml")


@dataclass(frozen=True)
class ImportedAnswer:
    ident: str
    text: str
    fraction: float
    feedback: str


@dataclass(frozen=True)
class ImportedQuestion:
    ident: str
    moodle_type: str
    profile: str
    answers: tuple[ImportedAnswer, ...]
    general_feedback: str
    true_false_error: bool
    """True where Moodle's import would stop with the true/false coding_exception."""


def _first(nodes: list[object]) -> str:
    if not nodes:
        return ""
    node = nodes[0]
    return node if isinstance(node, str) else (getattr(node, "text", None) or "")


def imported(data: bytes) -> list[ImportedQuestion]:
    """The questions Moodle's converter would create from one assessment file."""
    root = etree.fromstring(data)
    tree = root.getroottree()
    questions = []
    for item in tree.xpath(ITEMS, namespaces=NAMESPACES):
        ident = item.get("ident", "")
        profile = ""
        for field in tree.xpath(PROFILE_FIELDS.format(item=ident), namespaces=NAMESPACES):
            if _first(field.xpath("xmlns:fieldlabel", namespaces=NAMESPACES)) == "cc_profile":
                profile = _first(field.xpath("xmlns:fieldentry", namespaces=NAMESPACES))
        moodle_type = MOODLE_TYPES.get(profile, "")
        if not moodle_type:
            continue
        conditions = tree.xpath(CONDITIONS.format(item=ident), namespaces=NAMESPACES)
        labels = tree.xpath(ANSWERS_WITH_FLOW.format(item=ident), namespaces=NAMESPACES) or tree.xpath(
            ANSWERS.format(item=ident), namespaces=NAMESPACES
        )
        right = tree.xpath(MR_RIGHT_ANSWERS.format(item=ident), namespaces=NAMESPACES)
        share = round(1.0 / len(right), 7) if right else 0.0
        right_idents = {node.text or "" for node in right}
        answers = []
        for label in labels:
            answer = _first(label.xpath(ANSWER_IDENT, namespaces=NAMESPACES))
            score = ""
            feedback: list[str] = []
            for condition in conditions:
                key = _first(condition.xpath(CONDITION_KEY, namespaces=NAMESPACES))
                if key.lower() == answer.lower():
                    score = _first(condition.xpath(CONDITION_SCORE, namespaces=NAMESPACES))
                    for link in condition.xpath(CONDITION_FEEDBACK, namespaces=NAMESPACES):
                        feedback.append(_feedback(tree, ident, str(link)))
            fraction = 0.0 if score in ("", "0") else 1.0
            if profile == "cc.multiple_response.v0p1" and answer in right_idents:
                fraction = share
            text = _first(label.xpath(ANSWER_TEXT, namespaces=NAMESPACES))
            answers.append(ImportedAnswer(answer, text, fraction, " ".join(f for f in feedback if f)))
        general = [
            _feedback(tree, ident, str(link))
            for condition in conditions
            if (condition.get("continue") or "").lower() == GENERAL_FEEDBACK_CONDITION
            for link in condition.xpath(CONDITION_FEEDBACK, namespaces=NAMESPACES)
        ]
        bad_tf = moodle_type == "truefalse" and sorted(a.ident for a in answers) != sorted(TRUE_FALSE_IDENTS)
        questions.append(
            ImportedQuestion(ident, moodle_type, profile, tuple(answers), " ".join(general), bad_tf)
        )
    return questions


def _feedback(tree: etree._ElementTree, item: str, feedback: str) -> str:
    nodes = tree.xpath(FEEDBACK_TEXT.format(item=item, feedback=feedback), namespaces=NAMESPACES)
    return _first(nodes)
