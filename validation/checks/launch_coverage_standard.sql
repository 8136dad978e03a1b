-- check: launch_meets_coverage_standard
-- table: launches
-- column: launch_id
-- severity: warning
-- why: Every launch rests on at least 6 independent reports (report_kinds.independent, on pages that may vote) from at least 4 publishers, a timeline of at least 5 moments and at least one figure of its reach (metrics.reach).
with

independent_reports as (
    select ls.launch_id, count(distinct r.report_id) as reports, count(distinct r.publisher) as publishers
    from launch_sources ls
    join copy_kinds ck on ck.copy_kind = ls.copy_kind
    join reports r on r.report_id = ls.report_id
    join report_kinds rk on rk.report_kind = r.report_kind
    where ck.votes and rk.independent
    group by ls.launch_id
),

moments as (select launch_id, count(*) as moments from timeline group by launch_id),

reach as (
    select o.launch_id, count(*) as reach_figures
    from observations o join metrics m on m.metric = o.metric
    where m.reach
    group by o.launch_id
),

final as (
    select l.launch_id, coalesce(i.reports, 0) as independent_reports, coalesce(i.publishers, 0) as publishers,
           coalesce(t.moments, 0) as moments, coalesce(r.reach_figures, 0) as reach_figures
    from launches l
    left join independent_reports i using (launch_id)
    left join moments t using (launch_id)
    left join reach r using (launch_id)
    where coalesce(i.reports, 0) < 6 or coalesce(i.publishers, 0) < 4 or coalesce(t.moments, 0) < 5
       or coalesce(r.reach_figures, 0) = 0
)

select * from final order by launch_id
