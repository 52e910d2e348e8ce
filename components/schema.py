"""The dataset's models: the one source of truth for fields, codes and allowed values.

Each YAML file under data/ is parsed into these models; cross-record rules that need
the whole dataset (membership on a date, dangling source ids, duplicates) live in
`validation`, which reuses the vocabularies defined here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

BODY_CODES = ("cfm", "cmo", "chs", "chg")
SESSION_STATUSES = ("held", "not_held", "postponed")
FORMATS = ("regular", "extraordinary", "informal", "video")
ATTENDANCE_STATUSES = ("present", "absent")
# "unknown" is never written in the YAML: it is what the loader fills in for every
# member state a source does not mention.
TIDY_ATTENDANCE_STATUSES = ("present", "absent", "unknown")
# "head" is a head of state or government attending a summit in person.
LEVELS = ("head", "minister", "deputy_minister", "ambassador", "other")
ROLES = ("guest", "observer")
# How an attendance row is known (format v3): a source names that state's delegation or
# says it took part or stayed away (stated); a source gives the whole list of delegations
# that took part, so a member missing from it stayed away (list); or it was said before
# the session (announced). Unknown seats have no basis.
BASES = ("stated", "list", "announced")
SIGNATURE_STATUSES = ("signed", "not_signed", "reservation")
DOC_TYPES = (
    "agreement", "protocol", "decision", "statement", "declaration", "appeal",
    "programme", "plan", "concept", "regulation", "other",
)
OUTCOMES = ("signed", "approved", "adopted", "forwarded")
MEMBERSHIP_STATUSES = (
    "member", "associate", "participant", "not_participating", "withdrawn", "observer",
)
# States whose delegation is expected at a session: attendance is reported for them
# (present / absent / unknown). A withdrawn state or an observer is not expected.
EXPECTED_STATUSES = ("member", "associate", "participant", "not_participating")

FACT_FIELDS = (
    "date", "end_date", "city", "host_country", "chair_country", "format",
    "agenda_items_count", "documents_count", "status", "number",
)
EARLIEST_DATE = dt.date(1991, 12, 8)  # Belovezha Accords: nothing in the CIS predates them
_BODIES_RE = "|".join(BODY_CODES)
SESSION_ID_RE = re.compile(rf"^({_BODIES_RE})-\d{{4}}-\d{{2}}-\d{{2}}(-[a-z0-9]+)?$")
# A document anywhere in the dataset: "<session id>-<local id>", as in documents.csv.
DOCUMENT_ID_RE = rf"^({_BODIES_RE})-\d{{4}}-\d{{2}}-\d{{2}}-[a-z0-9][a-z0-9_-]*$"
LOCAL_ID_RE = r"^[a-z0-9][a-z0-9_-]*$"

# Field types from the vocabularies above (each value list is written once).
Body = Literal[BODY_CODES]
SessionStatus = Literal[SESSION_STATUSES]
Format = Literal[FORMATS]
AttendanceStatus = Literal[ATTENDANCE_STATUSES]
Level = Literal[LEVELS]
Role = Literal[ROLES]
Basis = Literal[BASES]
SignatureStatus = Literal[SIGNATURE_STATUSES]
DocType = Literal[DOC_TYPES]
Outcome = Literal[OUTCOMES]
MembershipStatus = Literal[MEMBERSHIP_STATUSES]
CountryCode = str  # checked against data/countries.yaml during validation

_Strict = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _no_empty(v: str | None) -> str | None:
    return v if v else None


class Source(BaseModel):
    model_config = _Strict
    id: str = Field(pattern=LOCAL_ID_RE)
    url: str = Field(pattern=r"^https?://\S+$")
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    published: dt.date | None = None
    language: str = Field(pattern=r"^[a-z]{2}$")
    # Set only on a source that gives the whole list of delegations taking part in the
    # session, as that list: the states in it took part, the expected states missing from
    # it did not (attendance basis "list"). A partial mention is never a list.
    participants: list[CountryCode] | None = Field(default=None, min_length=1)
    # Set when the list names every participant at one level ("attended by the defence
    # ministers of A, B, C"): the states it makes present are at that level.
    participants_level: Level | None = None

    @model_validator(mode="after")
    def _level_needs_list(self) -> Source:
        if self.participants_level and not self.participants:
            raise ValueError("participants_level needs participants (the list it describes)")
        return self


class AgendaItem(BaseModel):
    model_config = _Strict
    id: str = Field(pattern=LOCAL_ID_RE)
    title_ru: str | None = None
    title_en: str | None = None
    title_en_translated: bool = False
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _has_title(self) -> AgendaItem:
        if not (self.title_ru or self.title_en):
            raise ValueError("needs title_ru or title_en")
        return self


class Signature(BaseModel):
    model_config = _Strict
    country: CountryCode
    status: SignatureStatus
    note: str | None = None
    sources: list[str] = Field(min_length=1)


class Document(AgendaItem):
    doc_type: DocType | None = None
    outcome: Outcome | None = None
    # The same text at an earlier step (ministers' approval before the heads' signature).
    prior: str | None = Field(default=None, pattern=DOCUMENT_ID_RE)
    signatures: list[Signature] = Field(default_factory=list)


class Attendance(BaseModel):
    model_config = _Strict
    country: CountryCode
    status: AttendanceStatus
    basis: Basis
    level: Level | None = None
    # Only for a state that was not a member on the day; derived from memberships when
    # omitted (an observer of the council attends as observer, any other as guest).
    role: Role | None = None
    head_name_en: str | None = None
    head_name_ru: str | None = None
    # What the head of delegation was, as the source says it, where the level alone does not
    # tell: "Chief of the General Staff", "State Secretary", "Acting President".
    position: str | None = None
    sources: list[str] = Field(min_length=1)

    _empty = field_validator("head_name_en", "head_name_ru", "position")(_no_empty)

    @model_validator(mode="after")
    def _absent_has_no_delegation(self) -> Attendance:
        if self.status == "absent" and (self.level or self.head_name_en or self.head_name_ru
                                         or self.position):
            raise ValueError("an absent state has no head of delegation or level")
        return self


class Dispute(BaseModel):
    model_config = _Strict
    field: str = Field(min_length=1)
    note: str = Field(min_length=1)
    sources: list[str] = Field(min_length=2)


class Session(BaseModel):
    model_config = _Strict
    id: str
    body: Body
    status: SessionStatus = "held"
    date: dt.date
    end_date: dt.date | None = None
    city_en: str | None = None
    city_ru: str | None = None
    host_country: CountryCode | None = None
    chair_country: CountryCode | None = None
    format: Format | None = None
    number: int | None = Field(default=None, ge=1, le=500)
    agenda_items_count: int | None = Field(default=None, ge=0, le=200)
    documents_count: int | None = Field(default=None, ge=0, le=200)
    fact_sources: dict[str, list[str]] = Field(default_factory=dict)
    agenda_items: list[AgendaItem] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    attendance: list[Attendance] = Field(default_factory=list)
    disputes: list[Dispute] = Field(default_factory=list)
    notes: str | None = None
    sources: list[Source] = Field(min_length=1)

    _empty = field_validator("city_en", "city_ru", "notes", "host_country", "chair_country")(
        _no_empty
    )

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not SESSION_ID_RE.match(v):
            raise ValueError("must look like cfm-2025-04-11 (body-date, optional -suffix)")
        return v

    @field_validator("fact_sources")
    @classmethod
    def _fact_names(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = sorted(set(v) - set(FACT_FIELDS))
        if unknown:
            raise ValueError(f"unknown fact(s) {unknown}; allowed: {list(FACT_FIELDS)}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Session:
        if self.end_date and self.end_date < self.date:
            raise ValueError("end_date is before date")
        return self


class Country(BaseModel):
    model_config = _Strict
    code: str = Field(pattern=r"^[A-Z]{3}$")
    name_en: str
    name_ru: str


class BodyInfo(BaseModel):
    model_config = _Strict
    code: Body
    name_en: str
    name_ru: str
    short_en: str
    short_ru: str


class Membership(BaseModel):
    model_config = _Strict
    country: CountryCode
    # Empty: the state's standing in the CIS. A body code: its standing in that council
    # only (Georgia left the defence ministers' council in 2006, the CIS in 2009).
    body: Body | None = None
    status: MembershipStatus
    start_date: dt.date | None = None
    # When no source gives the start: a day on which a source states the status held (the
    # source's date). The status then counts from that day, never before it.
    as_of: dt.date | None = None
    end_date: dt.date | None = None
    event: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)

    @property
    def effective_start(self) -> dt.date | None:
        return self.start_date or self.as_of

    @model_validator(mode="after")
    def _ordered(self) -> Membership:
        if self.start_date and self.as_of:
            raise ValueError("give start_date (when the status began) or as_of (a day it is "
                             "known to hold), not both")
        start = self.effective_start
        if start and self.end_date and self.end_date < start:
            raise ValueError("end_date is before start_date")
        return self


class Observer(BaseModel):
    model_config = _Strict
    name_en: str
    name_ru: str | None = None
    start_date: dt.date | None = None
    event: str
    sources: list[str] = Field(min_length=1)


class Count(BaseModel):
    """An official total: "52 sessions since 1993", "the 100th meeting of the council"."""
    model_config = _Strict
    body: Body
    # The count covers the council's sessions up to and including this day, from its first
    # session, or from `since` (inclusive) when the source counts from a later day.
    as_of: dt.date
    since: dt.date | None = None
    count: int = Field(ge=1, le=1000)
    what: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Count:
        if self.since and self.since > self.as_of:
            raise ValueError("since is after as_of")
        return self


class CountsFile(BaseModel):
    model_config = _Strict
    counts: list[Count]
    sources: list[Source] = Field(min_length=1)


class VersionInfo(BaseModel):
    model_config = _Strict
    version: str = Field(pattern=r"^[0-9]+$")
    released: dt.date
    note: str = Field(min_length=1)
    # Sessions first published in this version; the last (current) version lists none.
    sessions: list[str] = Field(default_factory=list)


class VersionsFile(BaseModel):
    model_config = _Strict
    versions: list[VersionInfo] = Field(min_length=1)


class MembershipsFile(BaseModel):
    model_config = _Strict
    memberships: list[Membership]
    observers: list[Observer] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
