-- name: audience_claimed_vs_independent
-- purpose: Audience figures asserted by interested parties (platform, owner, hosts, campaign) against independent reports, one vote per report.
-- params: none
-- grain: one row per launch, metric and side (claimed / independent / other)
with

observations_ as (select * from observation_reports where rank <> 'deprecated'),
metrics_ as (select * from metrics where audience),

sided as (
    select o.*,
           case when o.interested then 'claimed' when o.independent then 'independent' else 'other' end as side
    from observations_ o join metrics_ m using (metric)
),

-- one figure per report: copies of one story and quotes of one post count once
per_report as (
    select launch_id, metric, side, counted_report_id, min(value_num) as value_num, count(*) as n_rows,
           bool_and(qualifier_role = 'point') as all_points
    from sided group by launch_id, metric, side, counted_report_id
),

final as (
    select launch_id, metric, side, count(*) as n_reports,
           min(value_num) as lowest, percentile_disc(0.5) within group (order by value_num) as median,
           max(value_num) as highest, sum(n_rows) as n_observations,
           count(*) filter (where not all_points) as n_reports_with_bounds
    from per_report group by launch_id, metric, side
)

select * from final order by launch_id, metric, side
