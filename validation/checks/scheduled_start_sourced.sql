-- check: scheduled_start_is_sourced
-- table: launches
-- column: scheduled_start_utc
-- severity: critical
-- why: The launch's scheduled start equals a non-deprecated scheduled_start observation, so it has a source.
with final as (
    select l.launch_id, l.scheduled_start_utc from launches l
    where l.scheduled_start_utc is not null and not exists (
        select 1 from observations o
        where o.launch_id = l.launch_id and o.metric = 'scheduled_start' and o.rank <> 'deprecated'
          and o.value_time_utc = l.scheduled_start_utc)
)
select * from final order by launch_id
