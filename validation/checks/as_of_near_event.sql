-- check: live_figures_as_of_near_event
-- table: observations
-- column: as_of_utc
-- severity: warning
-- why: A live-audience figure (concurrent, peak or average) describes the live event, so it holds within a day of the scheduled start.
with final as (
    select o.observation_id, o.as_of_utc, l.scheduled_start_utc
    from observations o join launches l using (launch_id) join metrics m using (metric)
    where m.live and o.as_of_utc is not null
      and abs(epoch(o.as_of_utc - l.scheduled_start_utc)) > 86400
)
select * from final order by observation_id
