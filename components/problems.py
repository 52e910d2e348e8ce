"""Data problems: each names file, record, field and reason, so a curator can fix them all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.field}: {self.reason}"


class DatasetError(Exception):
    """Raised with every problem found, never just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the dataset:\n"
                         + "\n".join(f"  {p}" for p in self.problems))


def from_pydantic(file: str, record: str, error: dict) -> Problem:
    """Turn one pydantic error into a Problem: list positions become part of the record."""
    parts: list[str] = []
    for piece in error.get("loc", ()):
        if isinstance(piece, int) and parts:
            parts[-1] = f"{parts[-1]}[{piece}]"
        else:
            parts.append(str(piece))
    field = parts.pop() if parts and "[" not in parts[-1] else "-"
    where = " ".join([record, *parts]).strip() or "-"
    reason = error.get("msg", "invalid")
    if error.get("type") != "missing" and not isinstance(error.get("input"), (dict, list, type(None))):
        shown = repr(error["input"])
        reason = f"{reason} (got {shown[:80]})"
    return Problem(file, where, field, reason)
