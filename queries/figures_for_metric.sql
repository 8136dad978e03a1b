-- name: figures_for_metric
-- purpose: Every source's version of one metric for one launch, ranked, with the report it counts as and the exact words it came from.
-- params: launch_id (text, required); metric (text, required), e.g. peak_concurrent_listeners
-- grain: one row per observation
with

observations_ as (select * from observation_reports where launch_id = $launch_id and metric = $metric),

final as (
    select o.observation_id, o.stream_part, o.value_num, o.value_time_utc,
           o.qualifier, o.qualifier_role, o.rank, o.reported_by, o.reporter_kind, o.independent,
           o.counted_report_id, r.publisher as report_publisher, s.publisher as page_publisher, s.copy_kind,
           o.evidence_quote
    from observations_ o join sources s using (source_id) join reports r on r.report_id = o.counted_report_id
)

select * from final order by rank = 'deprecated', value_num, value_time_utc, observation_id
