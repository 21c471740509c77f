"""A `grade_item` element: one column list for the course total (gradebook.xml) and each activity."""

from __future__ import annotations

from dataclasses import dataclass

from scorm.moodle_backup.xmlnode import Node, box, leaves


@dataclass(frozen=True)
class GradeItem:
    id: int
    itemtype: str
    """"course" for the course total, "mod" for an activity."""
    iteminstance: int
    sortorder: int
    grademax: float
    categoryid: int | None = None
    itemname: str | None = None
    itemmodule: str | None = None
    itemnumber: int | None = None
    idnumber: str | None = None
    gradepass: float = 0
    weight: float = 0
    """Share of the course total under natural aggregation (`aggregationcoef2`)."""


def grade_item_node(item: GradeItem, epoch: int) -> Node:
    fields = leaves(
        {
            "categoryid": item.categoryid,
            "itemname": item.itemname,
            "itemtype": item.itemtype,
            "itemmodule": item.itemmodule,
            "iteminstance": item.iteminstance,
            "itemnumber": item.itemnumber,
            "iteminfo": None,
            "idnumber": item.idnumber,
            "calculation": None,
            "gradetype": 1,
            "grademax": decimal(item.grademax),
            "grademin": decimal(0),
            "scaleid": None,
            "outcomeid": None,
            "gradepass": decimal(item.gradepass),
            "multfactor": decimal(1),
            "plusfactor": decimal(0),
            "aggregationcoef": decimal(0),
            "aggregationcoef2": decimal(item.weight),
            "weightoverride": 0,
            "sortorder": item.sortorder,
            "display": 0,
            "decimals": None,
            "hidden": 0,
            "locked": 0,
            "locktime": 0,
            "needsupdate": 0,
            "timecreated": epoch,
            "timemodified": epoch,
        }
    )
    return box("grade_item", fields, box("grade_grades"), id=item.id)


def decimal(value: float) -> str:
    """Moodle's NUMBER(10,5) columns as the backup writes them, e.g. "80.00000"."""
    return f"{value:.5f}"
