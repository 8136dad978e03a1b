-- check: quote_counts_once
-- table: observations
-- column: evidence_quote
-- severity: critical
-- why: The same words for the same figure are one report's, asserted by one party: copies of a story share its report_id, quotes of one post name the post's report, and a Reuters sentence is the wire's wherever it is read. So no report counts twice.
-- Only words that occur more than once can clash: find those by hash in one cheap pass, then look closer.
with repeated as (
    select hash(evidence_quote) as quote_hash from observations group by 1 having count(*) > 1
),
figures as (  -- the counted report as in observation_reports, without its vocabulary joins
    select o.launch_id, o.metric, o.stream_part, coalesce(o.value_num::varchar, o.value_time_utc::varchar) as value,
           o.evidence_quote, coalesce(o.report_id, s.report_id) as counted_report_id, o.reporter_kind,
           o.observation_id
    from observations o join sources s using (source_id)
    where hash(o.evidence_quote) in (select quote_hash from repeated)
),
final as (
    select launch_id, metric, value, evidence_quote,
           case when count(distinct counted_report_id) > 1 and count(distinct reporter_kind) > 1
                    then 'two reports and two reporter kinds'
                when count(distinct counted_report_id) > 1 then 'two reports'
                else 'two reporter kinds' end as problem,
           list(distinct counted_report_id order by counted_report_id) as report_ids,
           list(distinct reporter_kind order by reporter_kind) as reporter_kinds,
           list(observation_id order by observation_id) as observation_ids
    from figures
    group by launch_id, metric, stream_part, value, evidence_quote
    having count(distinct counted_report_id) > 1 or count(distinct reporter_kind) > 1
)
select * from final order by launch_id, metric, evidence_quote
