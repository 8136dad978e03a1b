-- name: source_mix
-- purpose: The source mix per launch: pages, reports, publishers, copies, and how many figures come from independent reporters.
-- params: none
-- grain: one row per launch and source kind
with

launch_sources_ as (select distinct launch_id, source_id from launch_sources),
sources_ as (select * from sources),
reports_ as (select * from reports),

independent_figures as (
    select launch_id, source_id, bool_or(independent) as independent
    from observation_reports group by launch_id, source_id
),

final as (
    select c.launch_id, s.source_kind, count(*) as n_sources, count(distinct s.report_id) as n_reports,
           count(distinct r.publisher) as n_publishers,
           count(*) filter (where s.copy_kind <> 'original') as n_copies,
           count(*) filter (where f.independent) as n_with_independent_figures
    from launch_sources_ c join sources_ s using (source_id) join reports_ r on r.report_id = s.report_id
    left join independent_figures f using (launch_id, source_id)
    group by c.launch_id, s.source_kind
)

select * from final order by launch_id, n_sources desc, source_kind
