-- source_counts: per launch, how many pages and reports it cites (from launch_sources). The one definition of
-- these counts: launch_metrics.n_sources / n_reports read it.
with

launch_sources_ as (select * from launch_sources),

final as (
    select launch_id, count(distinct source_id) as n_sources, count(distinct report_id) as n_reports
    from launch_sources_
    group by launch_id
)

select * from final
