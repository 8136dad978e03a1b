-- observation_reports: each observation with the report it counts as (its own report_id, else its page's),
-- what its qualifier bounds (point, lower, upper) and whether its reporter is independent or interested.
-- The resolution rule (queries/derived/launch_metrics.sql) and the checks read observations through it.
with

observations_ as (select * from observations),
sources_ as (select source_id, report_id as page_report_id from sources),

final as (
    select o.*,
           coalesce(o.report_id, s.page_report_id) as counted_report_id,
           q.role as qualifier_role,
           k.independent,
           k.interested
    from observations_ o
    join sources_ s using (source_id)
    join qualifiers q using (qualifier)
    join reporter_kinds k using (reporter_kind)
)

select * from final
