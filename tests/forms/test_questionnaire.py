"""The questionnaire as data: templates, JSON round trip, the 5-question minimum and per-question checks."""

from __future__ import annotations

import pytest

from forms.base.findings import Severity
from forms.notice import questionnaire as q
from forms.notice.campaign import load


def test_templates_give_the_five_grade_scale_and_free_text() -> None:
    assert q.satisfaction("您满意吗？").options == ("满意", "比较满意", "一般", "不太满意", "不满意")
    assert q.free_text("意见？") == q.Question("意见？", (), True)
    assert set(q.TEMPLATES) == {"五级满意度", "开放式意见"}


def test_json_round_trip_keeps_order_and_fields() -> None:
    questions = [q.satisfaction("甲"), q.free_text("乙"), q.Question("丙", ("是", "否"))]
    assert q.from_json(q.to_json(questions)) == questions
    assert '"stem": "甲"' in q.to_json(questions)  # Chinese kept readable in the workspace


@pytest.mark.parametrize("text", ["", "not json", "{}", "3", "[1, 2]"])
def test_unreadable_json_gives_no_questions(text: str) -> None:
    assert q.from_json(text) == []


def test_campaign_minimum_is_five() -> None:
    assert q.minimum_of(load("2015").rules) == 5


@pytest.mark.parametrize(("count", "short"), [(0, True), (4, True), (5, False), (8, False)])
def test_at_least_five_questions(count: int, short: bool) -> None:
    questions = [q.satisfaction(f"问题{n}") for n in range(count)]
    found = q.validate(questions, 5, "道路建设")
    assert any(f.code == "questionnaire-short" for f in found) is short
    if short:
        assert f"再补充{5 - count}个" in found[0].message
        assert "道路建设" in found[0].message


@pytest.mark.parametrize(("question", "code", "severity"), [
    (q.satisfaction(""), "questionnaire-stem", Severity.ERROR),
    (q.Question("只有一个选项", ("满意",)), "questionnaire-options", Severity.ERROR),
    (q.Question("重复选项", ("满意", "满意", "不满意")), "questionnaire-options", Severity.WARNING),
])
def test_each_question_is_checked(question: q.Question, code: str, severity: Severity) -> None:
    questions = [q.satisfaction(f"问题{n}") for n in range(5)] + [question]
    found = [f for f in q.validate(questions) if f.code == code]
    assert found and found[0].severity is severity and found[0].row == 6


def test_free_text_needs_no_options_and_repeated_stems_warn() -> None:
    questions = [q.free_text("意见")] + [q.satisfaction("同一题")] * 2 + [q.satisfaction(f"题{n}") for n in range(2)]
    found = q.validate(questions)
    assert [(f.code, f.row) for f in found] == [("questionnaire-repeat", 3)]


def test_starter_is_a_valid_five_question_draft() -> None:
    draft = q.starter("农村公路建设工作")
    assert len(draft) == 5 and q.validate(draft) == []
    assert "农村公路建设工作" in draft[0].stem and "工作工作" not in draft[0].stem
    assert draft[-1].free_text


class Store:
    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def text(self, key: str, default: str = "") -> str:
        return self.texts.get(key, default)

    def set_text(self, key: str, value: str) -> None:
        self.texts[key] = value


def test_load_save_clear_under_the_agreed_key() -> None:
    store = Store()
    assert not q.is_started(store, 7)
    q.save(store, 7, [q.satisfaction("甲")])
    assert "questionnaire:7" in store.texts and q.is_started(store, 7)
    assert q.load(store, 7) == [q.satisfaction("甲")]
    q.clear(store, 7)
    assert not q.is_started(store, 7) and q.load(store, 7) == []
