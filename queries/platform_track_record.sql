-- name: platform_track_record
-- purpose: Per platform: launches, how many started late (delay over 10 minutes), median delay, relaunches, peak audience.
-- params: none
-- grain: one row per platform
with

metrics as (select * from launch_metrics),
platforms_ as (select platform_id, name from platforms),

final as (
    select m.platform_id, p.name, count(*) as n_launches,
           count(*) filter (where m.delay_minutes > 10) as n_delayed,
           round(count(*) filter (where m.delay_minutes > 10) / count(*), 2) as share_delayed,
           median(m.delay_minutes) as median_delay_minutes,
           count(*) filter (where m.relaunched) as n_relaunched,
           max(m.peak_listeners) as largest_peak
    from metrics m join platforms_ p using (platform_id)
    group by m.platform_id, p.name
)

select * from final order by n_launches desc, platform_id
