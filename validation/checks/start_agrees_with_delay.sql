-- check: conversation_start_agrees_with_delay
-- table: launch_metrics
-- column: conversation_start_utc
-- severity: critical
-- why: Derived values agree: where there is a schedule and a delay, the programme began at the scheduled start plus the delay.
with final as (
    select launch_id, scheduled_start_utc, delay_minutes, conversation_start_utc
    from launch_metrics
    where scheduled_start_utc is not null and delay_minutes is not null
      and (conversation_start_utc is null
           or abs(epoch(conversation_start_utc) - epoch(scheduled_start_utc) - delay_minutes * 60) >= 1)
)
select * from final order by launch_id
