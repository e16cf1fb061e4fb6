"""What a parse gives: a ParsedPlan and its parts, or a PlanParseError."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["chu_tri", "phoi_hop"]
Recurrence = Literal["hang_tuan", "hang_thang", "hang_quy", "thuong_xuyen", "dinh_ky"]


class PlanParseError(ValueError):
    """The text is not a plan the parser can read; ``message`` is Vietnamese."""

    def __init__(self, message: str, *, code: str = "not_a_plan"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class ParsedTask:
    text: str
    role: Role | None = None
    recurrence: Recurrence | None = None
    due: dt.date | None = None

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "role": self.role,
            "recurrence": self.recurrence,
            "due": self.due.isoformat() if self.due else None,
        }


@dataclass
class ParsedUnit:
    name: str
    tasks: list[ParsedTask] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"name": self.name, "tasks": [task.as_dict() for task in self.tasks]}


@dataclass
class ParsedSection:
    heading: str
    items: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"heading": self.heading, "items": list(self.items)}


@dataclass
class ParsedPlan:
    number: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    place: str | None = None
    title: str | None = None
    doc_type: str | None = None
    signer: str | None = None
    signer_position: str | None = None
    implements: list[str] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    units: list[ParsedUnit] = field(default_factory=list)
    restored_text: str = ""
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the plan as plain JSON-able data (dates as ISO strings)."""
        return {
            "number": self.number,
            "date": self.date.isoformat() if self.date else None,
            "issuer": self.issuer,
            "place": self.place,
            "title": self.title,
            "doc_type": self.doc_type,
            "signer": self.signer,
            "signer_position": self.signer_position,
            "implements": list(self.implements),
            "sections": [section.as_dict() for section in self.sections],
            "units": [unit.as_dict() for unit in self.units],
            "restored_text": self.restored_text,
            "warnings": list(self.warnings),
        }
