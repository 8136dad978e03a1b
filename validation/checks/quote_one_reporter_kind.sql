-- check: quote_has_one_reporter_kind
-- table: observations
-- column: reporter_kind
-- severity: critical
-- why: The same words for the same figure have one asserting party: a Reuters sentence is the wire's wherever it is read.
with final as (
    select launch_id, metric, evidence_quote,
           list(distinct reporter_kind order by reporter_kind) as reporter_kinds,
           list(observation_id order by observation_id) as observation_ids
    from observations
    group by launch_id, metric, coalesce(value_num::varchar, value_time_utc::varchar), evidence_quote
    having count(distinct reporter_kind) > 1
)
select * from final order by launch_id, metric, evidence_quote
