"""Synthetic LaunchBench data at any size, consistent across tables (keys resolve, values plausible).

    python bench/synthetic.py OUT_DIR --observations 1000000

Writes one Parquet file per table with the schemas' Arrow types, then derives launch_metrics with the real
resolution rule, so `launchbench validate --data OUT_DIR` passes on it. Not committed: it is generated data
for benchmarks only. Everything is computed inside DuckDB, so 10M rows take seconds, not minutes.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from launchbench.build import _write as write, derive_launch_metrics  # noqa: E402
from launchbench.db import connect  # noqa: E402
from launchbench.schema import DEFAULT_MAX_TEXT, load_schemas, metrics  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# Each synthetic launch carries this many observations; the other tables scale with the launches.
OBS_PER_LAUNCH = 200


def _tables_sql(n_obs: int) -> dict[str, str]:
    n_launch = max(2, n_obs // OBS_PER_LAUNCH)
    n_source = max(10, n_obs // 20)
    num_metrics = [m for m, s in metrics().items() if s["value"] == "num" and m != "delay_minutes"]
    num_list = "[" + ", ".join(f"'{m}'" for m in num_metrics) + "]"
    ts = "timestamptz '2020-01-01 00:00:00+00' + to_days(cast(l % 1800 as integer))"
    launch = f"strftime({ts}, '%Y-%m-%d') || '-synthetic-' || l"
    return {
        "platforms": """select * from (values ('synth-audio', 'Synth Audio', 'Synth Corp', 'synth-owner', 'audio'),
                        ('synth-video', 'Synth Video', 'Synth Corp', 'synth-owner', 'video'))
                        t(platform_id, name, company, owner_actor_id, medium)""",
        "actors": """select 'synth-' || case when a = 0 then 'owner' else 'actor-' || a end as actor_id,
                        'Actor ' || a as name, 'person' as actor_kind, 'A synthetic actor.' as description,
                        null::varchar as party from range(50) r(a)""",
        # three pages per report: the outlet's own and two copies, as with a wire story on partner sites
        "reports": f"""select 'rep-' || r as report_id, 'Publisher ' || (r % 97) as publisher,
                        'news_article' as report_kind, 'Story ' || r as title,
                        date '2020-01-01' + cast(r % 1800 as integer) as published_date
                        from range({(n_source + 2) // 3}) t(r)""",
        "sources": f"""select 'src-' || s as source_id, 'https://example.org/story/' || s as url,
                        'Site ' || (s % 97) as publisher, 'rep-' || (s // 3) as report_id,
                        case s % 3 when 0 then 'original' when 1 then 'syndicated' else 'mirror' end as copy_kind,
                        'Story ' || s as title, case when s % 5 = 0 then 'de' else 'en' end as language,
                        date '2020-01-01' + cast(s % 1800 as integer) as published_date,
                        'news' as source_kind, date '2026-11-28' as accessed_date
                        from range({n_source}) r(s)""",
        "launches": f"""select {launch} as launch_id, 'Synthetic launch ' || l as title, 'livestream' as event_kind,
                        'synth-actor-' || (1 + l % 49) as principal_actor_id, ['synth-owner'] as host_actor_ids,
                        case when l % 2 = 0 then 'synth-audio' else 'synth-video' end as platform_id,
                        '@synth' || l as host_account, 'US' as country, null::varchar as election,
                        {ts} as scheduled_start_utc, 'America/New_York' as local_timezone,
                        l % 5 = 0 as relaunched, 'A synthetic launch used only to measure how the LaunchBench tools behave as the tables grow.'
                        as summary from range({n_launch}) r(l)""",
        # observation k of launch l: k=0 is the schedule, 1-5 conversation starts, 6-15 delays, rest audiences
        "observations": f"""select 'obs-' || i as observation_id, {launch} as launch_id,
                        case when k = 0 then 'scheduled_start' when k <= 5 then 'conversation_start'
                             when k <= 15 then 'delay_minutes' else {num_list}[1 + k % {len(num_metrics)}] end
                             as metric,
                        case when l % 5 = 0 and k % 2 = 1 then 'relaunch' else 'whole' end as stream_part,
                        case when k <= 5 then null else
                             case when k <= 15 then (k * 3) % 60
                                  when {num_list}[1 + k % {len(num_metrics)}] = 'duration_minutes' then 30 + i % 200
                                  else 1000 + (i * 7919) % 1000000 end end::double
                             as value_num,
                        case when k = 0 then {ts} when k <= 5 then {ts} + to_minutes(cast(k * 5 as bigint))
                             else null end as value_time_utc,
                        case when i % 7 = 0 then 'more_than' else 'approx' end as qualifier,
                        null::timestamptz as as_of_utc, 'Publisher ' || (i % 97) as reported_by,
                        case when i % 3 = 0 then 'platform_owner' when i % 11 = 0 then 'commentator'
                             else 'news_outlet' end as reporter_kind,
                        'src-' || (i % {n_source}) as source_id, null::varchar as report_id,
                        case when k = 0 then 'preferred' else 'normal' end as rank,
                        case when k = 0 then 'the announced time' else null end as rank_reason,
                        'a short synthetic quote ' || i as evidence_quote, null::varchar as note
                        from (select i, i // {OBS_PER_LAUNCH} as l, i % {OBS_PER_LAUNCH} as k
                              from range({n_launch * OBS_PER_LAUNCH}) r(i))""",
        "claims": f"""select 'claim-' || l as claim_id, {launch} as launch_id, 'synth-owner' as claimant_actor_id,
                        'platform_owner' as claimant_kind, 'cause_demand' as claim_kind,
                        'So many people joined.' as statement, {ts} as made_at_utc, 'src-' || (l % {n_source}) as source_id,
                        'disputed' as verdict, 'Synthetic note for claim ' || l || ': sources disagree.' as verdict_note,
                        ['src-' || ((l + 3) % {n_source})] as evidence_source_ids from range({n_launch}) r(l)""",
        # two passages per claim: the claimant's own words as context (its own page) and an independent one that decides
        # it, three pages on (pages carry reports in threes, so that page carries another report)
        "claim_evidence": f"""select 'claim-' || l || '-ev' || k as evidence_id, 'claim-' || l as claim_id,
                        'src-' || ((l + 3 * k) % {n_source}) as source_id,
                        case when k = 0 then 'context' else 'refutes' end as stance,
                        case when k = 0 then 'Synth Owner' else 'Synth News' end as asserted_by,
                        case when k = 0 then 'platform_owner' else 'news_outlet' end as asserted_by_kind,
                        'a short synthetic passage ' || l || '-' || k as quote,
                        'Synthetic evidence note ' || l || '-' || k || '.' as note
                        from range({n_launch}) r(l), range(2) q(k)""",
        "timeline": f"""select {launch} as launch_id, cast(k + 1 as bigint) as seq, {ts} + to_minutes(cast(k * 10 as bigint))
                        as at_utc, cast(5 as bigint) as precision_minutes, 'other' as kind,
                        'A synthetic moment.' as description, 'src-' || ((l + k) % {n_source}) as source_id
                        from range({n_launch}) r(l), range(4) q(k)""",
        "reactions": f"""select 'reaction-' || l as reaction_id, {launch} as launch_id,
                        'synth-actor-' || (1 + l % 49) as actor_id, null::varchar as platform_id,
                        null::timestamptz as at_utc, 'neutral' as stance, 'Interesting.' as statement,
                        null::varchar as references_launch_id, 'src-' || ((l + 2) % {n_source}) as source_id
                        from range({n_launch}) r(l)""",
    }


def generate(out: Path, n_obs: int) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    schemas = load_schemas()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    counts = {}
    for name, sql in _tables_sql(n_obs).items():
        table = con.sql(sql).to_arrow_table().select(schemas[name].column_names).cast(schemas[name].arrow_schema())
        write(schemas[name], table, out)  # the build's writer: the same options and version metadata
        counts[name] = table.num_rows
    # sources nobody cites would be orphans: the generator cites every one (observations cycle through them)
    metrics_table = derive_launch_metrics(out)
    write(schemas["launch_metrics"], metrics_table, out)
    counts["launch_metrics"] = metrics_table.num_rows
    # the claim-verdict task scales with the claims; the questions stay the committed set (they do not grow), with
    # their gold answers computed on this data, as the build computes them
    from launchbench.benchmark import answer_from_rows, claim_tables, load_config

    con = connect(out)
    claims, evidence = claim_tables(con, load_config(None))  # no split lists: every claim in dev
    claims_schema = schemas["benchmark_claims"].arrow_schema()
    claims = claims.select(claims_schema.names).cast(claims_schema)
    write(schemas["benchmark_claims"], claims, out)
    write(schemas["benchmark_evidence"],
          pa.Table.from_pylist(evidence, schema=schemas["benchmark_evidence"].arrow_schema()), out)
    questions = []
    for q in pq.read_table(ROOT / "dataset" / "data" / "benchmark_questions.parquet").to_pylist():
        answer = answer_from_rows(q["answer_type"], con.execute(q["gold_sql"]).fetchall(), q["ordered"])
        q["launch_id"] = None  # the committed launches are not in the synthetic data
        q["gold_answer"] = None if answer is None else json.dumps(answer, ensure_ascii=False)
        if len(q["gold_answer"] or "") <= DEFAULT_MAX_TEXT:  # a list of thousands of launches is no answer
            questions.append(q)
    write(schemas["benchmark_questions"],
          pa.Table.from_pylist(questions, schema=schemas["benchmark_questions"].arrow_schema()), out)
    counts["benchmark_claims"] = claims.num_rows
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--observations", type=int, default=1_000_000)
    args = parser.parse_args()
    start = time.perf_counter()
    counts = generate(args.out, args.observations)
    print(f"wrote {args.out} in {time.perf_counter() - start:.1f}s: "
          + ", ".join(f"{k}={v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
