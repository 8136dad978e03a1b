-- check: conversation_starts_after_schedule
-- table: observations
-- column: value_time_utc
-- severity: critical
-- why: No ranked report puts the start of the programme more than 15 minutes before the announced start.
with final as (
    select o.observation_id, o.launch_id, o.value_time_utc, l.scheduled_start_utc
    from observations o join launches l using (launch_id)
    where o.metric = 'conversation_start' and o.rank <> 'deprecated'
      and o.value_time_utc < l.scheduled_start_utc - interval 15 minute
)
select * from final order by observation_id
