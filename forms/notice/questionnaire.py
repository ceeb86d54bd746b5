"""The hot/difficult-work questionnaire (评议问卷): questions as data, templates, storage, checks.

One questionnaire per work item, stored in the workspace texts under `questionnaire:<frame id>` as a
JSON list of {"stem", "options", "free_text"}. The office asks for at least
`rules.questionnaire_min_questions` (5) questions, modelled on the system-cadre questionnaire: a stem
with graded answers (满意 … 不满意) or a free-text opinion. No Qt here: the window and the document
writer both read this.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from forms.base.findings import Finding, Severity

SCALE_5 = ("满意", "比较满意", "一般", "不太满意", "不满意")
DEFAULT_MINIMUM = 5
KEY_PREFIX = "questionnaire:"


@dataclass(frozen=True)
class Question:
    """One question: its stem, its answer options (none for a free-text question), free-text flag."""

    stem: str
    options: tuple[str, ...] = field(default=SCALE_5)
    free_text: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"stem": self.stem, "options": list(self.options), "free_text": self.free_text}

    def but(self, **changes: Any) -> Question:
        return replace(self, **changes)


def satisfaction(stem: str = "") -> Question:
    """A question answered on the usual 5-grade satisfaction scale."""
    return Question(stem, SCALE_5, False)


def free_text(stem: str = "") -> Question:
    """A question answered in the respondent's own words."""
    return Question(stem, (), True)


TEMPLATES: dict[str, Callable[[str], Question]] = {
    "五级满意度": satisfaction,
    "开放式意见": free_text,
}


def starter(item: str) -> list[Question]:
    """A first draft of five questions for a work item, in the manner of the system-cadre questionnaire."""
    work = item.removesuffix("工作") + "工作" if item else "该项工作"
    return [
        satisfaction(f"您对本部门{work}的总体评价是："),
        satisfaction(f"您对{work}的政策宣传和信息公开情况是否满意？"),
        satisfaction(f"您对{work}中工作人员的服务态度和办事效率是否满意？"),
        satisfaction(f"您对{work}取得的实际成效是否满意？"),
        free_text(f"您对改进{work}有什么意见和建议？"),
    ]


# -- storage ----------------------------------------------------------------------------------------
class TextStore(Protocol):
    def text(self, key: str, default: str = "") -> str: ...
    def set_text(self, key: str, value: str) -> None: ...


def text_key(frame_id: int) -> str:
    return f"{KEY_PREFIX}{frame_id}"


def _question(data: Any) -> Question | None:
    if isinstance(data, str):
        return satisfaction(data)
    if not isinstance(data, Mapping):
        return None
    options = data.get("options") or ()
    if isinstance(options, str):
        options = options.splitlines()
    return Question(str(data.get("stem", "")), tuple(str(o) for o in options), bool(data.get("free_text", False)))


def from_json(text: str) -> list[Question]:
    """Questions from their JSON; text that is no JSON list gives no questions (parse, don't raise)."""
    try:
        data = json.loads(text) if text.strip() else []
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    return [q for q in map(_question, data) if q is not None]


def to_json(questions: Sequence[Question]) -> str:
    return json.dumps([q.to_json() for q in questions], ensure_ascii=False)


def is_started(store: TextStore, frame_id: int) -> bool:
    """Whether this item's questionnaire was ever written (an empty text means it was cleared)."""
    return bool(store.text(text_key(frame_id), "").strip())


def load(store: TextStore, frame_id: int) -> list[Question]:
    return from_json(store.text(text_key(frame_id), ""))


def save(store: TextStore, frame_id: int, questions: Sequence[Question]) -> None:
    store.set_text(text_key(frame_id), to_json(questions))


def clear(store: TextStore, frame_id: int) -> None:
    """Forget an item's questionnaire (its frame was removed; a later frame may reuse the id)."""
    store.set_text(text_key(frame_id), "")
    store.set_text(intro_key(frame_id), "")


def intro_key(frame_id: int) -> str:
    return f"questionnaire-intro:{frame_id}"


def load_intro(store: TextStore, frame_id: int) -> str:
    """The opening paragraph the clerk wrote ("" : the standard one)."""
    return store.text(intro_key(frame_id), "").strip()


def save_intro(store: TextStore, frame_id: int, text: str) -> None:
    store.set_text(intro_key(frame_id), text.strip())


# -- checks -----------------------------------------------------------------------------------------
def _finding(code: str, message: str, severity: Severity = Severity.ERROR, where: int | None = None) -> Finding:
    return Finding(code=code, severity=severity, message=message, row=where)


def _question_findings(number: int, question: Question) -> list[Finding]:
    found = []
    if not question.stem.strip():
        found.append(_finding("questionnaire-stem", f"第{number}题还没有题目，请填写或删除这一题。", where=number))
    options = [o for o in question.options if o.strip()]
    if not question.free_text and len(options) < 2:
        found.append(_finding("questionnaire-options",
                              f"第{number}题的答案选项少于2个，请补充选项（如满意、一般、不满意），或改为开放式作答。",
                              where=number))
    if len(set(options)) < len(options):
        found.append(_finding("questionnaire-options", f"第{number}题有重复的答案选项，请删去重复的。",
                              Severity.WARNING, number))
    return found


def validate(questions: Sequence[Question], minimum: int = DEFAULT_MINIMUM, item: str = "") -> list[Finding]:
    """What keeps the questionnaire from going out: too few questions, empty stems or options.

    `row` of a finding is the 1-based question number (None for the whole questionnaire)."""
    found: list[Finding] = []
    if len(questions) < minimum:
        missing = minimum - len(questions)
        found.append(_finding("questionnaire-short",
                              f"问卷“{item or '本事项'}”只有{len(questions)}个问题，评议问卷的问题不少于{minimum}个，"
                              f"请再补充{missing}个。"))
    stems: dict[str, int] = {}
    for number, question in enumerate(questions, start=1):
        found.extend(_question_findings(number, question))
        stem = "".join(question.stem.split())
        if stem and stem in stems:
            found.append(_finding("questionnaire-repeat", f"第{number}题与第{stems[stem]}题题目相同，请修改或删除。",
                                  Severity.WARNING, number))
        stems.setdefault(stem, number)
    return found


def minimum_of(rules: Mapping[str, Any]) -> int:
    return int(rules.get("questionnaire_min_questions", DEFAULT_MINIMUM))
