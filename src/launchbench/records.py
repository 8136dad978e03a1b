"""Read the hand-edited YAML records and check them against the schemas.

Stage 1 of the build: `dataset/records/` -> rows (one list of dicts per table, times in UTC).
Every problem becomes a RecordIssue naming the file, the record and the field; all are collected so a
contributor sees every mistake at once, and nothing is written when there is any.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from launchbench.expectations import EARLIEST, latest_allowed_time
from launchbench.schema import FORBIDDEN_TEXT, NUMBER_BOUND, DEFAULT_MAX_TEXT, Column, Table, load_schemas, metrics

_FORBIDDEN = re.compile(f"[{FORBIDDEN_TEXT}]")



def _sourced(schemas: dict[str, Table], source: str) -> list[str]:
    """The tables whose schema says their rows come from `source` (schema.SOURCES), in schema order."""
    return [name for name, table in schemas.items() if table.source == source]


@dataclass
class RecordIssue:
    file: str
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.record:
            where += f": {self.record}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class RecordError(ValueError):
    def __init__(self, issues: list[RecordIssue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when present: 10x faster
    """SafeLoader that keeps times and dates as text (we parse them, and insist on an offset), refuses duplicate
    keys instead of silently keeping the last one, and refuses aliases."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:  # compared as written (constructing them here would look like an alias)
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node, deep=False):
        # an alias (*name) makes the parser hand over the same node again: refuse it. A few lines of aliases can
        # expand to gigabytes once the records are walked (a "YAML bomb"), and records have no need for them.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(None, None, "YAML aliases (*name) are not allowed in records",
                                                    node.start_mark)
        return super().construct_object(node, deep=deep)


_StrictLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_TIME_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


MAX_RECORD_FILE_BYTES = 5_000_000  # the largest launch file is about 110 kB; anything near this is a mistake
SHOWN_VALUE_CHARS = 80  # values quoted in a message are cut to this


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[:SHOWN_VALUE_CHARS] + f"... ({len(text)} characters)"


def _read_yaml(path: Path, issues: list[RecordIssue], root: Path):
    """(short path, parsed document or None). Only regular files inside `root`, at most MAX_RECORD_FILE_BYTES,
    valid UTF-8, YAML without aliases, and not empty; each failure is an issue about this file."""
    try:  # short, clickable paths when run from the repository
        rel = str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        rel = str(path)
    fail = lambda message: (issues.append(RecordIssue(rel, None, None, message)), (rel, None))[1]
    if path.is_symlink() or not path.resolve().is_relative_to(root.resolve()):
        return fail("is a symbolic link or lies outside the records folder; records are regular files in it")
    if not path.is_file():
        return fail("is not a regular file")
    size = path.stat().st_size
    if size > MAX_RECORD_FILE_BYTES:
        return fail(f"is {size:,} bytes; a record file may hold at most {MAX_RECORD_FILE_BYTES:,}")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return fail(f"is not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); save it as UTF-8")
    try:
        doc = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        return fail(f"malformed YAML: {exc}".replace("\n", " "))
    if doc is None:
        return fail("is empty (or holds only comments)")
    return rel, doc


def _convert(col: Column, value, fail) -> object:
    """Turn one record value into its table value, or call fail(message) and return None."""
    if value is None:
        if not col.nullable:
            fail("is required but empty")
        return None
    t = col.type
    if t == "string":
        if not isinstance(value, str) or not value.strip():
            return fail(f"expected non-empty text, got {_shown(value)}")
        bad = _FORBIDDEN.search(value)
        if bad:
            return fail(f"contains an invisible control, zero-width or bidi character (U+{ord(bad.group()):04X}) at "
                        f"position {bad.start()}; remove it")
        if col.enum and value not in col.enum:
            return fail(f"unknown value {_shown(value)}; expected one of {', '.join(col.enum)}")
        if col.pattern and not re.fullmatch(col.pattern, value):
            return fail(f"{_shown(value)} does not match the pattern {col.pattern}")
        limit = col.max_length or DEFAULT_MAX_TEXT
        if len(value) > limit:
            return fail(f"is {len(value):,} characters long; at most {limit:,} allowed")
        if col.timezone:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                return fail(f"{value!r} is not an IANA time zone")
        return value
    if t in ("int64", "float64"):
        ok = isinstance(value, int) if t == "int64" else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            return fail(f"expected a {'whole ' if t == 'int64' else ''}number, got {_shown(value)}")
        if not math.isfinite(value) or abs(value) >= NUMBER_BOUND:
            return fail(f"{_shown(value)} is not a finite number below {NUMBER_BOUND:g}")
        if col.min is not None and value < col.min:
            return fail(f"{_shown(value)} is below the minimum {col.min}")
        return float(value) if t == "float64" else value
    if t == "bool":
        if not isinstance(value, bool):
            return fail(f"expected true or false, got {value!r}")
        return value
    if t == "timestamp":
        if not isinstance(value, str) or not _TIME_WITH_OFFSET.match(value):
            return fail(f"expected a time with its zone offset like 2023-05-24T18:00-04:00, got {_shown(value)}")
        try:
            when = dt.datetime.fromisoformat(value).astimezone(dt.timezone.utc)
        except ValueError as exc:  # 2023-02-30, 25:00, an offset of +25:00
            return fail(f"{_shown(value)} is not a real time ({exc})")
        if not EARLIEST <= when < latest_allowed_time():
            return fail(f"{_shown(value)} lies outside {EARLIEST.year} to the end of next year (a typo?)")
        return when
    if t == "date":
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else fail(f"expected YYYY-MM-DD, got {_shown(value)}")
        except ValueError:
            return fail(f"expected a real date as YYYY-MM-DD, got {_shown(value)}")
    if t == "list<string>":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            return fail(f"expected a list of ids, got {_shown(value)}")
        return list(value)
    raise AssertionError(t)


def _convert_record(table: Table, raw, file: str, label: str, implied: dict, issues) -> dict | None:
    """Check one record's fields against its table and return the row (None when it is not a mapping)."""
    if not isinstance(raw, dict):
        issues.append(RecordIssue(file, label, None, f"expected a mapping of fields, got {type(raw).__name__}"))
        return None
    writable = {c.record_field: c for c in table.columns if not c.derived and c.name not in implied}
    for key in raw:
        if key not in writable:
            hint = f"; known fields: {', '.join(sorted(writable))}"
            issues.append(RecordIssue(file, label, _shown(key).strip("'"), f"unknown field{hint}"))
    row = dict(implied)
    for fname, col in writable.items():
        def fail(msg, fname=fname):
            issues.append(RecordIssue(file, label, fname, msg))
        if fname not in raw and not col.nullable:
            fail("missing required field")
            row[col.name] = None
            continue
        row[col.name] = _convert(col, raw.get(fname), fail)
    return row


def _label(table: Table, raw, index: int, section: str | None = None) -> str:
    key = table.primary_key[0] if len(table.primary_key) == 1 else None  # timeline rows have no id of their own
    ident = raw.get(key) if isinstance(raw, dict) and key else None
    return f"{section or table.name}[{index}]" + (f" ({ident})" if ident else "")


def _nested_tables(schemas: dict[str, Table]) -> dict[str, tuple[str, str, str]]:
    """parent table -> (record field, child table, child column pointing at the parent), from `nested_in` in
    schemas/ (claim_evidence rows are written under each claim as `evidence:`)."""
    out = {}
    for name, table in schemas.items():
        spec = table.extras.get("nested_in")  # present exactly when source is `nested` (schema.py checks)
        if spec:
            parent = schemas[spec["table"]]
            target = f"{parent.name}.{parent.primary_key[0]}"
            fk = next(c.name for c in table.columns if c.references == target)
            out[parent.name] = (spec["field"], name, fk)
    return out


def read_records(root: Path) -> dict[str, list[dict]]:
    """Read and check every record under `root` (dataset/records). Raises RecordError listing every issue."""
    schemas = load_schemas()
    issues: list[RecordIssue] = []
    rows: dict[str, list[dict]] = {name: [] for name in schemas if not schemas[name].derived}
    origin: dict[tuple[str, int], tuple[str, str]] = {}  # (table, row index) -> (file, label)

    nested = _nested_tables(schemas)

    def add(table_name: str, raw, file: str, index: int, implied: dict, parent: tuple[str, str] = ("", "")):
        table = schemas[table_name]
        label = parent[0] + _label(table, raw, index, parent[1] or None)
        children = {}
        if table_name in nested and isinstance(raw, dict):  # rows written inside this record (a claim's evidence)
            field, child, fk = nested[table_name]
            raw = dict(raw)
            children = raw.pop(field, None) or []
            if not isinstance(children, list):
                issues.append(RecordIssue(file, label, field, "expected a list"))
                children = []
        row = _convert_record(table, raw, file, label, implied, issues)
        if row is not None:
            origin[(table_name, len(rows[table_name]))] = (file, label)
            rows[table_name].append(row)
            for j, child_raw in enumerate(children):
                add(child, child_raw, file, j, {fk: row[table.primary_key[0]]}, (f"{label} > ", field))

    registries, launch_children = _sourced(schemas, "registry"), _sourced(schemas, "launch_list")
    [launch_table] = _sourced(schemas, "launch")
    for name in registries:
        path = root / f"{name}.yaml"
        if not path.exists() and not path.is_symlink():
            issues.append(RecordIssue(str(path), None, None, "registry file missing"))
            continue
        file, doc = _read_yaml(path, issues, root)
        if doc is None:
            continue
        if not isinstance(doc, dict) or set(doc) != {name} or not isinstance(doc[name], list):
            issues.append(RecordIssue(file, None, None, f"expected one top-level key '{name}:' holding a list"))
            continue
        for i, raw in enumerate(doc[name]):
            add(name, raw, file, i, {})

    launch_files = []
    for path in sorted((root / "launches").iterdir()) if (root / "launches").is_dir() else []:
        if path.suffix == ".yaml":
            launch_files.append(path)
        elif not path.name.startswith("."):  # a .yml, a stray note: it would silently drop a launch
            issues.append(RecordIssue(str(path), None, None,
                                      "not a launch file: launch files are named <launch_id>.yaml"))
    for path in launch_files:
        file, doc = _read_yaml(path, issues, root)
        if doc is None:
            continue
        if not isinstance(doc, dict) or "launch" not in doc:
            issues.append(RecordIssue(file, None, None, "expected a top-level 'launch:' mapping"))
            continue
        for key in doc:
            if key not in ("launch", *launch_children):
                issues.append(RecordIssue(file, None, str(key),
                                          f"unknown section; expected launch, {', '.join(launch_children)}"))
        launch = doc["launch"]
        add(launch_table, launch, file, 0, {})
        launch_id = launch.get("launch_id") if isinstance(launch, dict) else None
        if launch_id != path.stem:
            issues.append(RecordIssue(file, "launches[0]", "launch_id",
                                      f"{launch_id!r} must equal the file name {path.stem!r}"))
        for child in launch_children:
            items = doc.get(child) or []
            if not isinstance(items, list):
                issues.append(RecordIssue(file, None, child, "expected a list"))
                continue
            for i, raw in enumerate(items):
                add(child, raw, file, i, {"launch_id": launch_id})

    if not issues:
        _derive_evidence_source_ids(schemas, rows)
        _check_rows(schemas, rows, origin, issues)
    if issues:
        raise RecordError(issues)
    _number_timeline(rows["timeline"])
    return rows


def _check_rows(schemas, rows, origin, issues) -> None:
    """Checks across records: unique keys, references that resolve, and rules a column cannot state."""
    def issue(table, i, field, msg):
        file, label = origin[(table, i)]
        issues.append(RecordIssue(file, label, field, msg))

    keys: dict[str, set] = {}
    for name, table_rows in rows.items():
        table = schemas[name]
        if table.primary_key == ("launch_id", "seq"):
            continue  # seq is assigned by the build
        seen: set = set()
        for i, row in enumerate(table_rows):
            key = tuple(row[k] for k in table.primary_key)
            if key in seen:
                issue(name, i, table.primary_key[-1], f"duplicate id {key[-1]!r}")
            seen.add(key)
        keys[name] = {k[0] for k in seen} if len(table.primary_key) == 1 else seen

    for name, table_rows in rows.items():
        for col in schemas[name].columns:
            if not col.references or col.derived:  # a derived column's values are checked where they are written
                continue
            target = keys[col.references.split(".")[0]]
            for i, row in enumerate(table_rows):
                values = row[col.name] if col.type == "list<string>" else [row[col.name]]
                for value in values or []:
                    if value is not None and value not in target:
                        issue(name, i, col.record_field, f"{value!r} does not resolve to any {col.references}")

    spec = metrics()
    for i, row in enumerate(rows["observations"]):
        kind = spec[row["metric"]]["value"]
        has_num, has_time = row["value_num"] is not None, row["value_time_utc"] is not None
        if has_num == has_time:
            issue("observations", i, "value_num",
                  f"set exactly one of value_num and value_time ({row['metric']} takes value_{kind})")
        elif kind == "num" and not has_num or kind == "time" and not has_time:
            issue("observations", i, "value_num" if has_num else "value_time",
                  f"metric {row['metric']} takes value_{kind}")
        elif has_num and row["value_num"] < spec[row["metric"]].get("min", float("-inf")):
            issue("observations", i, "value_num",
                  f"{row['value_num']:g} is below the minimum {spec[row['metric']]['min']} for {row['metric']}")
        if row["rank"] != "normal" and not row["rank_reason"]:
            issue("observations", i, "rank_reason", f"rank {row['rank']} needs a rank_reason")

    for i, row in enumerate(rows["claims"]):
        if row["verdict"] != "unverified" and not row["evidence_source_ids"]:
            # which rows decide it is checked on the tables (validation/checks/claim_evidence_decides.sql)
            issue("claims", i, "evidence", f"verdict {row['verdict']} needs evidence rows quoting the pages behind it")

    for i, row in enumerate(rows["launches"]):
        try:  # the pattern only says YYYY-MM-DD-...; the date must exist
            dt.date.fromisoformat(row["launch_id"][:10])
        except ValueError:
            issue("launches", i, "launch_id", f"{row['launch_id'][:10]!r} is not a real date")

    schedules = {(o["launch_id"], o["value_time_utc"]) for o in rows["observations"]
                 if o["metric"] == "scheduled_start" and o["rank"] != "deprecated"}
    for i, row in enumerate(rows["launches"]):
        if row["scheduled_start_utc"] is not None and (row["launch_id"], row["scheduled_start_utc"]) not in schedules:
            issue("launches", i, "scheduled_start",
                  "must equal a non-deprecated scheduled_start observation of this launch (so it has a source)")


def _derive_evidence_source_ids(schemas: dict[str, Table], rows: dict[str, list[dict]]) -> None:
    """claims.evidence_source_ids = the pages of the claim's evidence rows that take a side (stances.takes_side)
    and are asserted by an independent party (reporter_kinds.independent), sorted."""
    independent = schemas["observations"].extras["reporter_kinds"]
    stances = schemas["claim_evidence"].extras["stances"]
    pages: dict[str, set] = {}
    for row in rows["claim_evidence"]:
        if stances[row["stance"]]["takes_side"] and independent[row["asserted_by_kind"]]["independent"]:
            pages.setdefault(row["claim_id"], set()).add(row["source_id"])
    for row in rows["claims"]:
        row["evidence_source_ids"] = sorted(pages.get(row["claim_id"], ()))


def _number_timeline(timeline: list[dict]) -> None:
    """seq = 1-based position in time order within each launch; ties keep the record order."""
    counters: dict[str, int] = {}
    for row in sorted(timeline, key=lambda r: (r["launch_id"], r["at_utc"])):
        counters[row["launch_id"]] = counters.get(row["launch_id"], 0) + 1
        row["seq"] = counters[row["launch_id"]]
