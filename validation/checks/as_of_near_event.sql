-- check: live_figures_as_of_near_event
-- table: observations
-- column: as_of_utc
-- severity: warning
-- why: A concurrent-audience figure describes the live event, so it holds within a day of the scheduled start.
with final as (
    select o.observation_id, o.as_of_utc, l.scheduled_start_utc
    from observations o join launches l using (launch_id)
    where o.metric in ('concurrent_listeners', 'peak_concurrent_listeners') and o.as_of_utc is not null
      and abs(epoch(o.as_of_utc - l.scheduled_start_utc)) > 86400
)
select * from final order by observation_id
