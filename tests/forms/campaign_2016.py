"""A 2016 campaign file, made the way a clerk would: the 2015 file with the year, dates and a minimum changed."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any


def data_2016() -> dict[str, Any]:
    text = resources.files("forms.notice").joinpath("data/campaign-2015.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text.replace("2015-", "2016-"))
    data.update(id="2016", year=2016, notice_number="桂绩办发〔2016〕28号")
    data["kinds"]["gov"]["categories"]["专项事务管理"] = 400
    return data


def write_2016(path: Path, change: Any = None) -> Path:
    data = data_2016()
    if change is not None:
        change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
