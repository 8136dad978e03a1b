-- name: launches_side_by_side
-- purpose: The launches side by side: schedule, start, delay range, relaunch, audience (independent vs claimed), cause.
-- params: none
-- grain: one row per launch, earliest first
with

metrics as (select * from launch_metrics),

final as (
    select launch_id, platform_id, scheduled_start_utc, conversation_start_utc,
           delay_minutes, delay_minutes_low, delay_minutes_high, relaunched,
           peak_listeners, peak_listeners_independent, peak_listeners_claimed, duration_minutes,
           claimed_cause, claimed_cause_verdict, n_sources
    from metrics
)

select * from final order by launch_id
