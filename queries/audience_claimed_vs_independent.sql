-- name: audience_claimed_vs_independent
-- purpose: Audience figures asserted by interested parties (platform, owner, hosts, campaign) against independent reports.
-- params: none
-- grain: one row per launch, metric and side (claimed / independent / other)
with

observations_ as (
    select * from observations
    where rank <> 'deprecated'
      and metric in ('concurrent_listeners', 'peak_concurrent_listeners', 'attempted_joins',
                     'cumulative_listeners', 'post_views')
),

sided as (
    select *,
           case when reporter_kind in ('platform_owner', 'platform', 'host', 'campaign') then 'claimed'
                when reporter_kind in ('news_outlet', 'wire_service', 'outage_tracker', 'analyst') then 'independent'
                else 'other' end as side
    from observations_
),

final as (
    select launch_id, metric, side, count(*) as n_reports,
           min(value_num) as lowest, percentile_disc(0.5) within group (order by value_num) as median, max(value_num) as highest,
           count(distinct source_id) as n_sources
    from sided group by launch_id, metric, side
)

select * from final order by launch_id, metric, side
