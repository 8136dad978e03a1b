"""Run expectation suites inside DuckDB: one scan per table for all row-level expectations.

This is how `validate` keeps Great Expectations' suites and Data Docs without loading tables into pandas:
each supported GX expectation type compiles to a SQL predicate that marks a row as unexpected, the counts
come back in a single aggregate query per table, and samples are fetched only for the ones that fail.
`tests/test_validate.py` checks that this engine and GX's own pandas engine agree.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from launchbench.expectations import Expectation

SAMPLE = 5


@dataclass
class Outcome:
    success: bool
    element_count: int | None = None
    unexpected_count: int | None = None
    sample: list = field(default_factory=list)
    observed: object = None
    error: str | None = None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def _bound(value, column_type: str) -> str:
    lit = _literal(value)
    return f"{lit}::TIMESTAMPTZ" if column_type.startswith("TIMESTAMP") else lit


def _unexpected_predicate(exp: Expectation, types: dict[str, str]) -> str | None:
    """SQL that is true for an unexpected row, or None when the type is not row-level."""
    k = exp.kwargs
    col = _q(k["column"]) if "column" in k else None
    t = exp.type
    if t == "expect_column_values_to_not_be_null":
        return f"{col} is null"
    if t == "expect_column_values_to_be_null":
        return f"{col} is not null"
    if t == "expect_column_values_to_be_in_set":
        values = ", ".join(_literal(v) for v in k["value_set"])
        return f"{col} is not null and {col} not in ({values})"
    if t == "expect_column_values_to_match_regex":
        return f"{col} is not null and not regexp_matches({col}, {_literal(k['regex'])})"
    if t == "expect_column_values_to_be_between":
        ctype = types[k["column"]]
        parts = []
        if k.get("min_value") is not None:
            parts.append(f"{col} < {_bound(k['min_value'], ctype)}")
        if k.get("max_value") is not None:
            parts.append(f"{col} > {_bound(k['max_value'], ctype)}")
        return f"{col} is not null and ({' or '.join(parts)})"
    if t == "expect_column_value_lengths_to_be_between":
        return (f"{col} is not null and (length({col}) < {int(k['min_value'])} "
                f"or length({col}) > {int(k['max_value'])})")
    return None


def _condition(exp: Expectation) -> str:
    cond = exp.kwargs.get("row_condition")
    return f"({cond})" if cond else "true"


def aggregate_sql(table: str, expectations: list[Expectation], types: dict[str, str]):
    """One scan for all row-level expectations: SQL returning (elements, unexpected) per expectation, the
    positions those pairs belong to, and {position: error} for expectations naming a missing column.
    Used here, by the Spark comparison and by the bare-DuckDB benchmark, so all run the same checks."""
    aggregates, positions, errors = [], [], {}
    for i, exp in enumerate(expectations):
        try:
            pred = _unexpected_predicate(exp, types)
        except KeyError as exc:
            errors[i] = f"column {exc} not in table"
            continue
        if pred is None:
            continue
        cond = _condition(exp)
        aggregates += [f"count(*) filter (where {cond})", f"count(*) filter (where {cond} and ({pred}))"]
        positions.append((i, cond, pred))
    sql = f"select {', '.join(aggregates)} from {_q(table)}" if aggregates else None
    return sql, positions, errors


def run_table(con, table: str, expectations: list[Expectation]) -> list[Outcome]:
    """Evaluate `expectations` on the view `table` of connection `con`."""
    types = {r[0]: r[1] for r in con.execute(f"describe {_q(table)}").fetchall()}
    outcomes: list[Outcome | None] = [None] * len(expectations)
    sql, row_level, errors = aggregate_sql(table, expectations, types)
    for i, error in errors.items():
        outcomes[i] = Outcome(False, error=error)
    if sql:
        counts = con.execute(sql).fetchone()
        for n, (i, cond, pred) in enumerate(row_level):
            elements, unexpected = counts[2 * n], counts[2 * n + 1]
            sample = []
            if unexpected:
                col = _q(expectations[i].kwargs["column"])
                sample = [r[0] for r in con.execute(
                    f"select distinct cast({col} as varchar) from {_q(table)} "
                    f"where {cond} and ({pred}) limit {SAMPLE}").fetchall()]
            outcomes[i] = Outcome(unexpected == 0, elements, unexpected, sample)
    for i, exp in enumerate(expectations):
        if outcomes[i] is None:
            outcomes[i] = _run_table_level(con, table, exp)
    return outcomes


def _run_table_level(con, table: str, exp: Expectation) -> Outcome:
    k, t = exp.kwargs, exp.type
    if t == "expect_table_row_count_to_be_between":
        n = con.execute(f"select count(*) from {_q(table)}").fetchone()[0]
        ok = (k.get("min_value") is None or n >= k["min_value"]) and (k.get("max_value") is None or n <= k["max_value"])
        return Outcome(ok, observed=n)
    if t in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        cols = [k["column"]] if "column" in k else k["column_list"]
        keys = ", ".join(_q(c) for c in cols)
        not_null = " and ".join(f"{_q(c)} is not null" for c in cols)
        elements, unexpected = con.execute(
            f"select coalesce(sum(n), 0), coalesce(sum(n) filter (where n > 1), 0) from "
            f"(select count(*) as n from {_q(table)} where {not_null} group by {keys})").fetchone()
        sample = []
        if unexpected:
            sample = [r[0] for r in con.execute(
                f"select concat_ws(' | ', {keys}) from {_q(table)} where {not_null} group by {keys} "
                f"having count(*) > 1 limit {SAMPLE}").fetchall()]
        return Outcome(unexpected == 0, int(elements), int(unexpected), sample)
    return Outcome(False, error=f"the DuckDB engine cannot run {t}")
