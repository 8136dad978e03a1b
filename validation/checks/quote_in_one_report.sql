-- check: quote_counts_as_one_report
-- table: observations
-- column: report_id
-- severity: critical
-- why: The same words for the same figure are one report's: copies of a story share its report_id, quotes of one post name the post's report, so no report counts twice.
with figures as (
    select launch_id, metric, stream_part, coalesce(value_num::varchar, value_time_utc::varchar) as value,
           evidence_quote, counted_report_id, observation_id
    from observation_reports
),
final as (
    select launch_id, metric, value, evidence_quote,
           list(distinct counted_report_id order by counted_report_id) as report_ids,
           list(observation_id order by observation_id) as observation_ids
    from figures
    group by launch_id, metric, stream_part, value, evidence_quote
    having count(distinct counted_report_id) > 1
)
select * from final order by launch_id, metric, evidence_quote
