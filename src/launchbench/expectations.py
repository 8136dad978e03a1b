"""The expectation suites: one per table, as Great Expectations (GX Core 1.x) expectation configurations.

Column expectations are generated from `schemas/` (so a schema change updates them without hand edits) and
merged with the hand-written ones in `validation/expectations.yaml`. An expectation here is a plain dict
`{type, kwargs, severity, why}`: the DuckDB engine compiles it to SQL, the GX engine turns it into a GX object.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import yaml

from launchbench.paths import project_root
from launchbench.schema import CLEAN_TEXT, DEFAULT_MAX_TEXT, NUMBER_BOUND, Table, load_schemas, metrics

EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


@dataclass
class Expectation:
    table: str
    type: str
    kwargs: dict
    severity: str = "critical"
    why: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def column(self) -> str | None:
        if "column" in self.kwargs:
            return self.kwargs["column"]
        if "column_list" in self.kwargs:
            return ",".join(self.kwargs["column_list"])
        return None


def latest_allowed_time(today: dt.date | None = None) -> dt.datetime:
    """Timestamps may run to the end of next year (a guard against typos such as 2204 for 2024)."""
    today = today or dt.date.today()
    return dt.datetime(today.year + 2, 1, 1, tzinfo=dt.timezone.utc)


def _from_schema(table: Table) -> list[Expectation]:
    out: list[Expectation] = []
    add = lambda type_, why, **kw: out.append(Expectation(table.name, type_, kw, "critical", why))
    add("expect_table_row_count_to_be_between", "An empty table means a broken build.", min_value=1)
    for col in table.columns:
        c = col.name
        if not col.nullable:
            add("expect_column_values_to_not_be_null", "Required by the schema.", column=c)
        if col.enum:
            add("expect_column_values_to_be_in_set", "Allowed values from the schema.", column=c,
                value_set=list(col.enum))
        if col.pattern:
            add("expect_column_values_to_match_regex", "Key or URL pattern from the schema.", column=c,
                regex=col.pattern)
        if col.min is not None:
            add("expect_column_values_to_be_between", "Minimum from the schema.", column=c, min_value=col.min)
        if col.type == "string":  # an empty string is never a value, whatever the limit
            add("expect_column_value_lengths_to_be_between", "Text is non-empty and within the schema's limit.",
                column=c, min_value=1, max_value=col.max_length or DEFAULT_MAX_TEXT)
            if not col.pattern and not col.enum:  # keys and codes are held by their pattern or set already
                add("expect_column_values_to_match_regex", "No invisible control, zero-width or bidi characters.",
                    column=c, regex=CLEAN_TEXT)
        if col.type in ("int64", "float64"):  # NaN and infinities fail a between in both engines
            add("expect_column_values_to_be_between", "Numbers are finite and of a sane size.", column=c,
                min_value=-NUMBER_BOUND, max_value=NUMBER_BOUND)
        if col.type == "timestamp":
            add("expect_column_values_to_be_between", "Times fall between 2000 and the end of next year.",
                column=c, min_value=EARLIEST.isoformat(), max_value=latest_allowed_time().isoformat())
    if len(table.primary_key) == 1:
        add("expect_column_values_to_be_unique", "Primary key.", column=table.primary_key[0])
    else:
        add("expect_compound_columns_to_be_unique", "Primary key.", column_list=list(table.primary_key))
    return out


def _value_fields() -> list[Expectation]:
    """Exactly one of value_num / value_time_utc, by the metric's kind (from the schema's metric list)."""
    spec = metrics()
    out = []
    for kind, other, field_ in (("num", "time", "value_num"), ("time", "num", "value_time_utc")):
        names = ", ".join(f"'{m}'" for m, s in spec.items() if s["value"] == kind)
        cond = f"metric in ({names})"
        out.append(Expectation("observations", "expect_column_values_to_not_be_null",
                               {"column": field_, "row_condition": cond}, "critical",
                               f"Metrics measured as {kind} carry {field_}."))
        other_field = "value_time_utc" if field_ == "value_num" else "value_num"
        out.append(Expectation("observations", "expect_column_values_to_be_null",
                               {"column": other_field, "row_condition": cond}, "critical",
                               f"Metrics measured as {kind} leave {other_field} empty."))
    return out


def _metrics_with_unit(match) -> str:
    """`$metrics_with_unit(people, views)` in a row_condition -> `metric in (...)` from the schema's metric list,
    so a new metric of that unit is covered without editing expectations.yaml."""
    units = {u.strip() for u in match.group(1).split(",")}
    names = sorted(m for m, spec in metrics().items() if spec.get("unit") in units)
    return "metric in (" + ", ".join(f"'{n}'" for n in names) + ")"


class ConfigError(ValueError):
    """A configuration file (expectations, check headers) that does not follow its own schema; names the file."""


SEVERITIES = ("critical", "warning")


def _hand_written() -> list[Expectation]:
    import re

    path = project_root() / "validation" / "expectations.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    schemas = load_schemas()
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of table names to lists of expectations")
    out = []
    for table, items in raw.items():
        if table.startswith("_"):
            continue  # YAML anchors
        if table not in schemas:
            raise ConfigError(f"{path}: {table!r} is not a table (tables: {', '.join(schemas)})")
        for i, item in enumerate(items or []):
            where = f"{path}: {table}[{i}]"
            if not isinstance(item, dict) or not {"type", "severity", "why"} <= set(item):
                raise ConfigError(f"{where}: each expectation needs type, severity and why")
            if item["severity"] not in SEVERITIES:
                raise ConfigError(f"{where}: severity {item['severity']!r} is not one of {', '.join(SEVERITIES)}")
            if "column" in item and item["column"] not in schemas[table].column_names:
                raise ConfigError(f"{where}: {table} has no column {item['column']!r}")
            item = dict(item)
            type_, severity, why = item.pop("type"), item.pop("severity"), item.pop("why")
            if "row_condition" in item:
                item["row_condition"] = re.sub(r"\$metrics_with_unit\(([^)]*)\)", _metrics_with_unit,
                                               item["row_condition"])
            out.append(Expectation(table, type_, item, severity, why))
    return out


def suites() -> dict[str, list[Expectation]]:
    """Table name -> its expectations (generated first, then hand-written)."""
    by_table: dict[str, list[Expectation]] = {name: _from_schema(t) for name, t in load_schemas().items()}
    for exp in _value_fields() + _hand_written():
        by_table[exp.table].append(exp)
    return by_table
