"""Load the curated YAML, validate it as a whole, and derive the tidy tables users download.

The YAML under data/ is the source of truth; every table here is derived from it and
never edited by hand.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, fields
from dataclasses import field as dataclass_field
from pathlib import Path

import pandas as pd
import pycountry
import yaml
from pydantic import BaseModel, ValidationError

from . import schema
from .problems import DatasetError, Problem, from_pydantic
from .tables import COLUMNS, DATE, EXPORT_TABLES, INTEGER, TABLES

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

@dataclass(frozen=True)
class Dataset:
    sessions: pd.DataFrame
    attendance: pd.DataFrame
    agenda_items: pd.DataFrame
    documents: pd.DataFrame
    signatures: pd.DataFrame
    countries: pd.DataFrame
    bodies: pd.DataFrame
    memberships: pd.DataFrame
    sources: pd.DataFrame
    disputes: pd.DataFrame
    facts: pd.DataFrame
    versions: pd.DataFrame
    counts: pd.DataFrame
    # Columns derived from the tables once per loaded dataset (search folds, row positions),
    # keyed by (table, name); filled lazily by the modules that need them.
    derived: dict = dataclass_field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def current_version(self) -> str | None:
        return self.versions["version"].iloc[-1] if len(self.versions) else None

    def tables(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "derived"}




def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader that leaves dates as text, so pydantic reports a bad date with its field
    (PyYAML's own date conversion raises one bare ValueError for the whole file). It parses
    with libyaml when PyYAML has it: the pure-Python parser was 97% of loading time (271 s
    of 279 s for the 100x synthetic dataset, pyinstrument)."""


def _mapping_without_duplicates(loader: _Loader, node: yaml.MappingNode) -> dict:
    """A key written twice would silently keep only the last value: refuse it instead."""
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark,
                f"found duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=True)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)

_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path, root: Path, problems: list[Problem]):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (safe)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "-"
        problems.append(Problem(_rel(path, root), where, "-",
                                f"not valid YAML: {getattr(exc, 'problem', exc)}"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(_rel(path, root), f"byte {exc.start}", "-",
                                f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position "
                                f"{exc.start}); save the file as UTF-8"))
    except OSError as exc:
        problems.append(Problem(_rel(path, root), "-", "-", f"cannot be read: {exc}"))
    return None


def _parse(model: type[BaseModel], raw, file: str, record: str, problems: list[Problem]):
    if not isinstance(raw, dict):
        problems.append(Problem(file, record, "-", f"expected a mapping, got {type(raw).__name__}"))
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems.extend(from_pydantic(file, record, e) for e in exc.errors())
        return None


def _parse_list(model, raw, key: str, file: str, problems: list[Problem]) -> list:
    if not isinstance(raw, dict) or not isinstance(raw.get(key), list):
        problems.append(Problem(file, "-", key, "expected a top-level list under this key"))
        return []
    parsed = []
    for i, item in enumerate(raw[key]):
        label = item.get("code") if isinstance(item, dict) and "code" in item else ""
        rec = _parse(model, item, file, f"{key}[{i}]{' ' + label if label else ''}", problems)
        if rec is not None:
            parsed.append(rec)
    return parsed


def _status_in(rows, day: dt.date) -> str | None:
    for start, end, status in rows:
        if (start is None or start <= day) and (end is None or day < end):
            return status
    return None


class MembershipIndex:
    """Each state's status on a day, per council. Intervals are half-open (end_date is the
    day the next status began). An interval for a council (e.g. Georgia leaving the defence
    ministers in 2006) takes precedence over the state's CIS-wide status on that council."""

    def __init__(self, memberships: pd.DataFrame):
        self._rows: dict[tuple[str, str | None], list] = {}
        for r in memberships.itertuples():
            body = r.body if isinstance(getattr(r, "body", None), str) else None
            key = (r.country, body)
            start = r.start_date if not pd.isna(r.start_date) else getattr(r, "as_of", None)
            self._rows.setdefault(key, []).append((
                None if start is None or pd.isna(start) else start,
                None if pd.isna(r.end_date) else r.end_date, r.status))

    def status(self, country: str, day: dt.date, body: str | None = None) -> str | None:
        if body is not None:
            specific = _status_in(self._rows.get((country, body), ()), day)
            if specific is not None:
                return specific
        return _status_in(self._rows.get((country, None), ()), day)


def membership_on(memberships: pd.DataFrame, country: str, day: dt.date,
                  body: str | None = None) -> str | None:
    """A state's status on a day (on one council when `body` is given)."""
    return MembershipIndex(memberships[memberships["country"] == country]).status(country, day, body)


def _memberships_frame(memberships: list[schema.Membership]) -> pd.DataFrame:
    return pd.DataFrame([{
        "country": m.country, "status": m.status, "start_date": m.start_date,
        "end_date": m.end_date, "event": m.event,
        "source_ids": " ".join(f"memberships:{x}" for x in m.sources), "body": m.body,
        "as_of": m.as_of}
        for m in memberships], columns=COLUMNS["memberships"])


def load_dataset(data_dir: Path | str = DATA_DIR, today: dt.date | None = None) -> Dataset:
    """Read and validate everything; raise DatasetError listing every problem found."""
    root = Path(data_dir)
    today = today or dt.date.today()
    problems: list[Problem] = []

    countries_file = root / "countries.yaml"
    countries = _parse_list(schema.Country, _read_yaml(countries_file, root, problems),
                            "countries", _rel(countries_file, root), problems)
    for i, c in enumerate(countries):
        if pycountry.countries.get(alpha_3=c.code) is None:
            problems.append(Problem(_rel(countries_file, root), f"countries[{i}] {c.code}", "code",
                                    "not an ISO 3166-1 alpha-3 code"))
    codes = {c.code for c in countries}

    bodies_file = root / "bodies.yaml"
    bodies = _parse_list(schema.BodyInfo, _read_yaml(bodies_file, root, problems), "bodies",
                         _rel(bodies_file, root), problems)

    mfile = root / "memberships.yaml"
    mrel = _rel(mfile, root)
    mraw = _read_yaml(mfile, root, problems)
    mdoc = _parse(schema.MembershipsFile, mraw, mrel, "-", problems) if mraw is not None else None
    memberships = mdoc.memberships if mdoc else []
    mframe = _memberships_frame(memberships)
    if mdoc:
        _check_sources(mdoc.sources, [("memberships", i, m.sources) for i, m in enumerate(memberships)]
                       + [("observers", i, o.sources) for i, o in enumerate(mdoc.observers)],
                       mrel, "-", problems)
        for i, m in enumerate(memberships):
            if m.country not in codes:
                problems.append(Problem(mrel, f"memberships[{i}]", "country",
                                        f"unknown country code {m.country!r}"))
        _check_overlaps(memberships, mrel, problems)

    index = MembershipIndex(mframe)
    sessions: list[tuple[str, schema.Session]] = []
    session_dir = root / "sessions"
    for path in sorted(session_dir.rglob("*.yaml")) if session_dir.exists() else []:
        rel = _rel(path, root)
        raw = _read_yaml(path, root, problems)
        if raw is None:
            if not any(p.file == rel for p in problems):
                problems.append(Problem(rel, "-", "-", "file is empty"))
            continue
        record = raw.get("id", path.stem) if isinstance(raw, dict) else path.stem
        s = _parse(schema.Session, raw, rel, str(record), problems)
        if s is not None:
            _check_session(s, rel, path, codes, index, today, problems)
            sessions.append((rel, s))
    if not sessions and session_dir.exists():
        problems.append(Problem(_rel(session_dir, root), "-", "-", "no session files found"))

    seen: dict[str, str] = {}
    for rel, s in sessions:
        if s.id in seen:
            problems.append(Problem(rel, s.id, "id", f"duplicate session id, also in {seen[s.id]}"))
        seen.setdefault(s.id, rel)
    _check_global_ids(sessions, problems)
    _check_document_links(sessions, problems)
    versions = _read_versions(root, {s.id for _, s in sessions}, problems)
    counts = _read_counts(root, problems)

    if problems:
        raise DatasetError(problems)
    return _tidy([s for _, s in sessions], countries, bodies, mframe,
                 mdoc.sources if mdoc else [], versions, counts)


def _read_counts(root: Path, problems: list[Problem]) -> schema.CountsFile | None:
    """counts.yaml (optional): official totals of a council's sessions, with sources."""
    path = root / "counts.yaml"
    if not path.exists():
        return None
    rel = _rel(path, root)
    raw = _read_yaml(path, root, problems)
    doc = _parse(schema.CountsFile, raw, rel, "-", problems) if raw is not None else None
    if doc is not None:
        _check_sources(doc.sources, [("counts", i, c.sources) for i, c in enumerate(doc.counts)],
                       rel, "-", problems)
    return doc


def _read_versions(root: Path, session_ids: set[str],
                   problems: list[Problem]) -> list[schema.VersionInfo]:
    """versions.yaml is optional (a dataset without releases has no version to pin)."""
    path = root / "versions.yaml"
    if not path.exists():
        return []
    rel = _rel(path, root)
    raw = _read_yaml(path, root, problems)
    doc = _parse(schema.VersionsFile, raw, rel, "-", problems) if raw is not None else None
    if doc is None:
        return []
    seen: dict[str, str] = {}
    numbers = [int(v.version) for v in doc.versions]
    if numbers != sorted(set(numbers)):
        problems.append(Problem(rel, "versions", "version", "versions must increase, without repeats"))
    for i, v in enumerate(doc.versions):
        rec = f"versions[{i}] {v.version}"
        if i == len(doc.versions) - 1 and v.sessions:
            problems.append(Problem(rel, rec, "sessions", "the current (last) version lists no "
                                    "sessions: it holds every session not listed earlier"))
        if i and v.released < doc.versions[i - 1].released:
            problems.append(Problem(rel, rec, "released", "released before the previous version"))
        for sid in v.sessions:
            if sid not in session_ids:
                problems.append(Problem(rel, rec, "sessions", f"no session {sid!r} in the dataset"))
            elif sid in seen:
                problems.append(Problem(rel, rec, "sessions",
                                        f"{sid!r} is already listed in version {seen[sid]}"))
            seen.setdefault(sid, v.version)
    return doc.versions


def _check_global_ids(sessions: list[tuple[str, schema.Session]],
                      problems: list[Problem]) -> None:
    """Agenda items and documents are known across the dataset as `<session id>-<local id>`;
    both parts may hold '-', so two different pairs can spell the same id (session
    cfm-2025-04-11 item b-a1 and session cfm-2025-04-11-b item a1): refuse it."""
    for part in ("agenda_items", "documents"):
        seen: dict[str, tuple[str, str]] = {}
        for rel, s in sessions:
            for i, item in enumerate(getattr(s, part)):
                gid = f"{s.id}-{item.id}"
                if gid in seen and seen[gid] != (rel, item.id):
                    other_file, other_local = seen[gid]
                    problems.append(Problem(rel, f"{s.id} {part}[{i}] {item.id}", "id",
                                            f"its global id {gid!r} is also that of "
                                            f"{other_local!r} in {other_file}: rename one"))
                seen.setdefault(gid, (rel, item.id))


def _check_document_links(sessions: list[tuple[str, schema.Session]],
                          problems: list[Problem]) -> None:
    """`prior` names the same text at an earlier step: it must exist and not come later."""
    dates = {f"{s.id}-{d.id}": s.date for _, s in sessions for d in s.documents}
    for rel, s in sessions:
        for i, d in enumerate(s.documents):
            if d.prior is None:
                continue
            rec = f"{s.id} documents[{i}] {d.id}"
            if d.prior == f"{s.id}-{d.id}":
                problems.append(Problem(rel, rec, "prior", "a document cannot be its own prior step"))
            elif d.prior not in dates:
                problems.append(Problem(rel, rec, "prior", f"no document {d.prior!r} in the dataset"))
            elif dates[d.prior] > s.date:
                problems.append(Problem(rel, rec, "prior",
                                        f"{d.prior!r} is dated {dates[d.prior]}, after this session"))


def _check_sources(sources: list[schema.Source], users, file: str, record: str,
                   problems: list[Problem]) -> None:
    ids = Counter(s.id for s in sources)
    for sid, n in ids.items():
        if n > 1:
            problems.append(Problem(file, f"{record} sources".strip(), "id",
                                    f"duplicate source id {sid!r}"))
    for part, idx, refs in users:
        for ref in refs:
            if ref not in ids:
                where = f"{record} {part}" + (f"[{idx}]" if idx is not None else "")
                problems.append(Problem(file, where.replace("- ", "").strip(), "sources",
                                        f"unknown source id {ref!r}"))


def _check_overlaps(memberships: list[schema.Membership], file: str, problems: list[Problem]):
    by_country: dict[tuple[str, str | None], list[tuple[int, schema.Membership]]] = {}
    for i, m in enumerate(memberships):
        by_country.setdefault((m.country, m.body), []).append((i, m))
    for (country, body), items in by_country.items():
        where = f"{country} on {body}" if body else country
        items.sort(key=lambda im: im[1].effective_start or dt.date.min)
        for (_, a), (j, b) in zip(items, items[1:]):
            a_end = a.end_date or dt.date.max
            if (b.effective_start or dt.date.min) < a_end:
                problems.append(Problem(file, f"memberships[{j}]", "start_date",
                                        f"{where}: interval overlaps the previous one"))


def _check_session(s: schema.Session, rel: str, path: Path, codes: set[str],
                   memberships: MembershipIndex, today: dt.date, problems: list[Problem]) -> None:
    def add(record_suffix: str, field: str, reason: str) -> None:
        problems.append(Problem(rel, f"{s.id} {record_suffix}".strip(), field, reason))

    expected_id = f"{s.body}-{s.date.isoformat()}"
    if not s.id.startswith(expected_id):
        add("", "id", f"must start with body-date {expected_id!r}")
    latest = today if s.status == "held" else today + dt.timedelta(days=3 * 365)
    if not (schema.EARLIEST_DATE <= s.date <= latest):
        add("", "date", f"{s.date} is outside {schema.EARLIEST_DATE}..{latest}")
    if path.parent.name != s.body:
        add("", "body", f"file is in sessions/{path.parent.name}/ but body is {s.body!r}")
    if not path.stem.startswith(s.date.isoformat()):
        add("", "date", f"file name {path.name!r} does not start with the date {s.date}")

    for field in ("host_country", "chair_country"):
        code = getattr(s, field)
        if code and code not in codes:
            add("", field, f"unknown country code {code!r}")

    # Every fact stated must name a source, and a source must state something present.
    stated = {
        "date": s.date, "end_date": s.end_date, "city": s.city_en or s.city_ru,
        "host_country": s.host_country, "chair_country": s.chair_country, "format": s.format,
        "agenda_items_count": s.agenda_items_count, "documents_count": s.documents_count,
        "number": s.number,
    }
    for fact, value in stated.items():
        if value is not None and not s.fact_sources.get(fact):
            add("fact_sources", fact, "a stated fact needs at least one source id")
    for fact in s.fact_sources:
        if fact in stated and stated[fact] is None:
            add("fact_sources", fact, "sources given for a fact that is empty")

    users = [("fact_sources." + k, None, v) for k, v in s.fact_sources.items()]
    users += [("agenda_items", i, a.sources) for i, a in enumerate(s.agenda_items)]
    users += [("documents", i, d.sources) for i, d in enumerate(s.documents)]
    users += [("attendance", i, a.sources) for i, a in enumerate(s.attendance)]
    users += [("disputes", i, d.sources) for i, d in enumerate(s.disputes)]
    users += [(f"documents[{i}].signatures", j, g.sources)
              for i, d in enumerate(s.documents) for j, g in enumerate(d.signatures)]
    _check_sources(s.sources, users, rel, s.id, problems)

    for part, items in (("agenda_items", s.agenda_items), ("documents", s.documents)):
        for item_id, n in Counter(x.id for x in items).items():
            if n > 1:
                add(part, "id", f"duplicate id {item_id!r}")
    for i, d in enumerate(s.documents):
        signed_by: set[str] = set()
        for j, g in enumerate(d.signatures):
            rec = f"documents[{i}].signatures[{j}]"
            if g.country not in codes:
                add(rec, "country", f"unknown country code {g.country!r}")
            elif g.country in signed_by:
                add(rec, "country", f"{g.country} is listed twice for document {d.id!r}")
            signed_by.add(g.country)

    if s.status != "held" and s.attendance:
        add("attendance[0]", "country", f"a session with status {s.status!r} has no attendance")
    _check_attendance(s, codes, memberships, add)


def participant_lists(s: schema.Session) -> dict[str, frozenset[str]]:
    """The session's sources marked as giving the whole list of delegations that took part."""
    return {src.id: frozenset(src.participants) for src in s.sources if src.participants}


def _list_level(s: schema.Session, refs: list[str]) -> str | None:
    """The level the naming lists give their participants, when they agree on one."""
    levels = {src.participants_level for src in s.sources if src.id in refs}
    return levels.pop() if len(levels) == 1 else None


def _check_attendance(s: schema.Session, codes: set[str], memberships: MembershipIndex,
                      add) -> None:
    """Attendance rows, their basis, and the lists of participants they rest on (format v3)."""
    lists = participant_lists(s)
    for i, src in enumerate(s.sources):
        if not src.participants:
            continue
        rec = f"sources[{i}] {src.id}"
        for code, n in Counter(src.participants).items():
            if code not in codes:
                add(rec, "participants", f"unknown country code {code!r}")
            elif n > 1:
                add(rec, "participants", f"{code} is listed twice")
        if s.status != "held":
            add(rec, "participants", f"a session with status {s.status!r} has no participants")
        if src.participants_level == "head" and s.body not in ("chs", "chg"):
            add(rec, "participants_level", "'head' is only for chs/chg sessions")
    disputed = {d.field for d in s.disputes}
    seen: set[str] = set()
    for i, a in enumerate(s.attendance):
        rec = f"attendance[{i}]"
        if a.country not in codes:
            add(rec, "country", f"unknown country code {a.country!r}")
            continue
        if a.country in seen:
            add(rec, "country", f"{a.country} is listed twice")
        seen.add(a.country)
        if a.level == "head" and s.body not in ("chs", "chg"):
            add(rec, "level", "'head' (head of state or government) is only for chs/chg sessions")
        status = memberships.status(a.country, s.date, s.body)
        if status not in schema.EXPECTED_STATUSES and a.status == "absent":
            add(rec, "country", f"{a.country} was not a member state on {s.date} "
                                f"(membership: {status or 'none recorded'}): its absence is not "
                                f"a seat; a non-member is recorded only when it attends, as "
                                f"guest or observer (say it in notes)")
        elif status not in schema.EXPECTED_STATUSES and a.role is None:
            # Written out, so a mistyped country code cannot slip in as a silent guest.
            add(rec, "country", f"{a.country} was not a member state on {s.date} "
                                f"(membership: {status or 'none recorded'}); a non-member "
                                f"can only attend with role guest or observer")
        elif status in schema.EXPECTED_STATUSES and a.role is not None:
            add(rec, "role", f"{a.country} was a member ({status}) on {s.date}; "
                             f"role is only for states that were not")
        cited = [r for r in a.sources if r in lists]
        if a.basis == "list" and not cited:
            add(rec, "basis", f"basis 'list' needs a cited source marked as the whole list of "
                              f"participants (participants: [...]); none of {a.sources} is")
        for ref, listed in lists.items():
            implied = "present" if a.country in listed else "absent"
            if implied == a.status:
                continue
            if a.basis == "list" and ref in cited:
                add(rec, "status", f"{a.status} with basis 'list', but the list in {ref!r} makes "
                                   f"{a.country} {implied}")
            elif f"attendance.{a.country}" not in disputed:
                add(rec, "status", f"{a.status}, but the list of participants in {ref!r} makes "
                                   f"{a.country} {implied}: add a dispute with field "
                                   f"'attendance.{a.country}' naming both sources")
    if len(lists) > 1:
        for code in sorted(codes - seen):
            if memberships.status(code, s.date, s.body) not in schema.EXPECTED_STATUSES:
                continue
            verdicts = {ref: code in listed for ref, listed in lists.items()}
            if len(set(verdicts.values())) > 1:
                inn = [r for r, v in verdicts.items() if v]
                out = [r for r, v in verdicts.items() if not v]
                add("attendance", "country",
                    f"the lists of participants disagree on {code} (in {inn}, not in {out}): "
                    f"write an attendance row for {code} and a dispute 'attendance.{code}'")


def _seat(code: str, row: schema.Attendance | None, lists: dict[str, frozenset[str]],
          expected: bool, membership: str | None) -> dict | None:
    """One state's seat at a held session: its explicit row, else what the session's lists of
    participants make it (present if listed, absent if an expected state is missing), else
    no information for an expected state and nothing for any other."""
    role = None if expected else ("observer" if membership == "observer" else "guest")
    if row is not None:
        return {"status": row.status, "basis": row.basis, "level": row.level,
                "head_name": row.head_name_en, "head_name_ru": row.head_name_ru,
                "position": row.position,
                "role": None if expected else (row.role or role), "source_ids": row.sources}
    blank = {"level": None, "head_name": None, "head_name_ru": None, "position": None,
             "role": role}
    naming = [ref for ref, listed in lists.items() if code in listed]
    if naming:
        return {**blank, "status": "present", "basis": "list", "source_ids": naming}
    if not expected:
        return None
    if lists:  # validation has checked that every list leaves this state out
        return {**blank, "status": "absent", "basis": "list", "source_ids": list(lists)}
    return {**blank, "status": "unknown", "basis": None, "source_ids": []}


def _ids(refs: list[str], session_id: str) -> str:
    return " ".join(f"{session_id}:{r}" for r in refs)


def _tidy(sessions: list[schema.Session], countries, bodies, memberships, msources,
          versions: list[schema.VersionInfo] = (),
          counts_file: schema.CountsFile | None = None) -> Dataset:
    first_in = {sid: v.version for v in versions for sid in v.sessions}
    current = versions[-1].version if versions else None
    session_rows, att_rows, item_rows, doc_rows, src_rows, disp_rows, fact_rows, sig_rows = (
        [] for _ in range(8))
    member_codes = [c.code for c in countries]
    index = MembershipIndex(memberships)
    priors = {f"{s.id}-{d.id}": d.prior for s in sessions for d in s.documents}

    def first_step(doc_id: str) -> str:
        seen = {doc_id}
        while priors.get(doc_id) and priors[doc_id] not in seen:
            doc_id = priors[doc_id]
            seen.add(doc_id)
        return doc_id

    for s in sorted(sessions, key=lambda x: (x.date, x.id)):
        listed = {a.country: a for a in s.attendance}
        lists = participant_lists(s)
        counts = Counter()
        expected = 0
        # Attendance exists only for sessions that took place.
        for code in member_codes if s.status == "held" else []:
            mstatus = index.status(code, s.date, s.body)
            is_expected = mstatus in schema.EXPECTED_STATUSES
            seat = _seat(code, listed.get(code), lists, is_expected, mstatus)
            if seat is not None and seat["level"] is None and seat["status"] == "present" \
                    and seat["basis"] == "list":
                seat["level"] = _list_level(s, seat["source_ids"])
            if seat is None:
                continue
            if is_expected:
                expected += 1
                counts[seat["status"]] += 1
            else:  # a guest or observer, not counted as expected
                counts["guest"] += 1
            att_rows.append({"session_id": s.id, "country": code, "date": s.date,
                             "body": s.body, "membership_status": mstatus, **seat,
                             "source_ids": _ids(seat["source_ids"], s.id)})
        for it in s.agenda_items:
            item_rows.append({
                "item_id": f"{s.id}-{it.id}", "session_id": s.id, "title_en": it.title_en,
                "title_ru": it.title_ru, "title_en_translated": it.title_en_translated,
                "source_ids": _ids(it.sources, s.id),
            })
        for d in s.documents:
            doc_id = f"{s.id}-{d.id}"
            doc_rows.append({
                "document_id": doc_id, "session_id": s.id, "title_en": d.title_en,
                "title_ru": d.title_ru, "doc_type": d.doc_type, "outcome": d.outcome,
                "date": s.date, "title_en_translated": d.title_en_translated,
                "source_ids": _ids(d.sources, s.id), "prior_document_id": d.prior,
                "first_document_id": first_step(doc_id), "signatures_known": len(d.signatures),
            })
            for g in d.signatures:
                sig_rows.append({"document_id": doc_id, "country": g.country, "status": g.status,
                                 "source_ids": _ids(g.sources, s.id), "session_id": s.id,
                                 "note": g.note})
        for src in s.sources:
            src_rows.append({
                "source_id": f"{s.id}:{src.id}", "session_id": s.id, "url": src.url,
                "title": src.title, "publisher": src.publisher, "published": src.published,
                "language": src.language, "participants": " ".join(src.participants or ()),
                "participants_level": src.participants_level,
            })
        for d in s.disputes:
            disp_rows.append({"session_id": s.id, "field": d.field, "note": d.note,
                              "source_ids": _ids(d.sources, s.id)})
        values = {
            "status": s.status, "date": s.date, "end_date": s.end_date,
            "city": " / ".join(x for x in (s.city_en, s.city_ru) if x) or None,
            "host_country": s.host_country, "chair_country": s.chair_country,
            "format": s.format, "agenda_items_count": s.agenda_items_count,
            "documents_count": s.documents_count, "number": s.number,
        }
        for field, value in values.items():
            fact_rows.append({"session_id": s.id, "field": field,
                              "value": None if value is None else str(value),
                              "source_ids": _ids(s.fact_sources.get(field, []), s.id)})
        session_rows.append({
            "session_id": s.id, "body": s.body, "date": s.date, "city_en": s.city_en,
            "city_ru": s.city_ru, "host_country": s.host_country,
            "chair_country": s.chair_country, "format": s.format,
            "agenda_items_count": s.agenda_items_count, "documents_count": s.documents_count,
            "status": s.status, "end_date": s.end_date, "year": s.date.year,
            "members_count": expected, "present_count": counts["present"],
            "absent_count": counts["absent"], "unknown_count": counts["unknown"],
            "full_attendance": s.status == "held" and expected > 0 and counts["present"] == expected,
            "agenda_items_known": len(s.agenda_items), "documents_known": len(s.documents),
            "disputed": bool(s.disputes), "notes": s.notes,
            "source_ids": " ".join(f"{s.id}:{x.id}" for x in s.sources),
            "number": s.number, "guests_count": counts["guest"],
            "version": first_in.get(s.id, current),
        })
    for src in msources:
        src_rows.append({"source_id": f"memberships:{src.id}", "session_id": None, "url": src.url,
                         "title": src.title, "publisher": src.publisher,
                         "published": src.published, "language": src.language})
    count_rows = []
    if counts_file is not None:
        for src in counts_file.sources:
            src_rows.append({"source_id": f"counts:{src.id}", "session_id": None,
                             "url": src.url, "title": src.title, "publisher": src.publisher,
                             "published": src.published, "language": src.language})
        count_rows = [{"body": c.body, "as_of": c.as_of, "count": c.count, "what": c.what,
                       "source_ids": " ".join(f"counts:{x}" for x in c.sources),
                       "since": c.since}
                      for c in counts_file.counts]

    def frame(name: str, rows: list[dict]) -> pd.DataFrame:
        df = pd.DataFrame(rows, columns=COLUMNS[name])
        for c in TABLES[name].columns:
            # Nullable integers keep an unknown count empty instead of turning it into 0.0.
            if c.type == INTEGER and df[c.name].isna().any():
                df[c.name] = df[c.name].astype("Int64")
            elif c.type == DATE:
                df[c.name] = pd.to_datetime(df[c.name]).dt.date
        return df

    return Dataset(
        sessions=frame("sessions", session_rows),
        attendance=frame("attendance", att_rows),
        agenda_items=frame("agenda_items", item_rows),
        documents=frame("documents", doc_rows),
        signatures=frame("signatures", sig_rows),
        countries=frame("countries", [{"country": c.code, "name_en": c.name_en,
                                       "name_ru": c.name_ru} for c in countries]),
        bodies=frame("bodies", [{"body": b.code, "name_en": b.name_en, "name_ru": b.name_ru,
                                 "short_en": b.short_en, "short_ru": b.short_ru} for b in bodies]),
        memberships=frame("memberships", memberships.to_dict("records")),
        sources=frame("sources", src_rows),
        disputes=frame("disputes", disp_rows),
        facts=frame("facts", fact_rows),
        versions=frame("versions", [
            {"version": v.version, "released": v.released, "note": v.note,
             "sessions_added": sum(1 for x in session_rows if x["version"] == v.version)}
            for v in versions]),
        counts=frame("counts", count_rows),
    )


def export(ds: Dataset, out_dir: Path | str) -> list[Path]:
    """Write the tidy tables as UTF-8 CSV (no BOM: this is the machine-facing export)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in EXPORT_TABLES:
        path = out / f"{name}.csv"
        getattr(ds, name).to_csv(path, index=False, encoding="utf-8")
        written.append(path)
    return written
