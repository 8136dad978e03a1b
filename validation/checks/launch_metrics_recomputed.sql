-- check: launch_metrics_matches_observations
-- table: launch_metrics
-- column: *
-- severity: critical
-- why: The committed launch_metrics equals a fresh run of the resolution rule over observations.
-- The fresh run is provided by the validator as the view launch_metrics_fresh.
with stored as (select * from launch_metrics),
fresh as (select * from launch_metrics_fresh),
final as (
    select 'stored only' as side, * from (select * from stored except select * from fresh)
    union all
    select 'fresh only' as side, * from (select * from fresh except select * from stored)
)
select * from final order by launch_id, side
