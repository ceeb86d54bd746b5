"""Attachments 2–8 declared as data: columns in order, required-ness, normaliser and rules per column.

附件9–11's structure (scale, sections, limits) lives in the campaign data; `LEADER_FORMS` names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property


class Role(StrEnum):
    SYSTEM = "system"  # 系统市县两级干部 frame: 附件2/4/6
    HOT = "hot"  # 热点、难点工作 frame: 附件3/5/7


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a frame: its key, the header the template prints, header aliases, how it is read."""

    key: str
    header: str
    aliases: tuple[str, ...]
    normaliser: str  # name of a function in forms.checks.normalize.NORMALISERS
    required: bool = False
    width: int = 12  # characters, for the exported sheet
    text: bool = False  # stored as text in Excel (leading zeros kept)


SERIAL = Column("serial", "序号", ("序", "编号", "No"), "serial", width=6)
NAME = Column("name", "姓名", ("姓 名", "名字", "人员姓名"), "name", required=True, width=10)
GENDER = Column("gender", "性别", (), "gender", required=True, width=6)
UNIT_ADDR = Column("unit", "单位(注明具体地址)", ("单位", "单位及地址", "单位地址", "工作单位", "地址"), "text",
                   required=True, width=40)
UNIT = Column("unit", "单位", ("工作单位", "单位名称", "单位(注明具体地址)", "单位及地址"), "text", required=True, width=30)
TITLE = Column("title", "职务", ("职 务", "职位", "职称"), "text", required=True, width=14)
AREA = Column("area_code", "区号", ("电话区号", "长途区号"), "area_code", width=7, text=True)
LANDLINE = Column("landline", "办公电话", ("电话", "固定电话", "座机", "固话", "办公室电话"), "landline", width=12, text=True)
MOBILE = Column("mobile", "手机号码", ("手机", "手机号", "移动电话", "联系手机"), "mobile", width=14, text=True)
POSTCODE = Column("postcode", "邮政编码", ("邮编", "邮码"), "postcode", required=True, width=9, text=True)
REMARK = Column("remark", "备注", ("说明",), "text", width=16)

SYSTEM_COLUMNS = (SERIAL, NAME, GENDER, UNIT_ADDR, TITLE, AREA, LANDLINE, MOBILE, POSTCODE)
HOT_COLUMNS = (SERIAL, NAME, GENDER, UNIT, TITLE, AREA, LANDLINE, MOBILE, REMARK)
# 附件6 is a system-cadre frame printed with the hot-frame columns (单位 … 备注), as the notice gives it.
SYSTEM_COLUMNS_6 = HOT_COLUMNS


@dataclass(frozen=True)
class FrameForm:
    """A sampling-frame attachment: its number, kind, role and columns."""

    number: str
    kind: str
    role: Role
    columns: tuple[Column, ...]
    title_markers: tuple[str, ...]  # words in a title row that identify it

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @cached_property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @cached_property
    def normalisers(self) -> dict[str, str]:
        """Column key → normaliser name for the columns a row stores (序号 is renumbered, not stored)."""
        return {c.key: c.normaliser for c in self.columns if c.key != "serial"}

    @cached_property
    def required_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.required)

    @cached_property
    def _by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    def column(self, key: str) -> Column:
        return self._by_key[key]

    @cached_property
    def needs_address(self) -> bool:
        return self.role is Role.SYSTEM

    @cached_property
    def has_postcode(self) -> bool:
        return "postcode" in self.keys


FRAME_FORMS: dict[str, FrameForm] = {
    f.number: f
    for f in (
        FrameForm("2", "gov", Role.SYSTEM, SYSTEM_COLUMNS, ("人民政府直属行政机构", "系统", "干部")),
        FrameForm("3", "gov", Role.HOT, HOT_COLUMNS, ("政府部门",)),
        FrameForm("4", "party", Role.SYSTEM, SYSTEM_COLUMNS, ("党委群团", "系统", "干部")),
        FrameForm("5", "party", Role.HOT, HOT_COLUMNS, ("党群单位",)),
        FrameForm("6", "pub", Role.SYSTEM, SYSTEM_COLUMNS_6, ("参照公务员法管理的事业单位", "系统", "干部")),
        FrameForm("7", "pub", Role.HOT, HOT_COLUMNS, ("参公单位",)),
    )
}

LEADER_FORMS = {"gov": "9", "party": "10", "pub": "11"}


@dataclass(frozen=True, slots=True)
class ContactField:
    """A field of 附件8 (情况表)."""

    key: str
    label: str
    required: bool
    normaliser: str


CONTACT_FIELDS = (
    ContactField("liaison_name", "联络员姓名", True, "name"),
    ContactField("liaison_title", "联络员职务", True, "text"),
    ContactField("liaison_phone", "联络员办公电话", False, "text"),
    ContactField("liaison_mobile", "联络员手机", False, "mobile"),
    ContactField("secretary_name", "党组(委)书记姓名", True, "name"),
    ContactField("secretary_title", "党组(委)书记职务", True, "text"),
    ContactField("head_same_as_secretary", "党组(委)书记与行政首长为同一人", False, "bool"),
    ContactField("head_name", "行政首长姓名", False, "name"),
    ContactField("head_title", "行政首长职务", False, "text"),
)


def frame_form(number: str) -> FrameForm:
    return FRAME_FORMS[number]
