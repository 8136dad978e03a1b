-- name: start_times
-- purpose: Every reported start time of each launch, with the delay it implies and who reported it.
-- params: none
-- grain: one row per reported conversation_start or stream_live observation
with

launches_ as (select launch_id, scheduled_start_utc from launches),
observations_ as (select * from observations where metric in ('conversation_start', 'stream_live')),
sources_ as (select source_id, publisher from sources),

final as (
    select o.launch_id, o.metric, o.stream_part, o.value_time_utc as reported_time_utc,
           round(date_diff('second', l.scheduled_start_utc, o.value_time_utc) / 60.0, 1) as implied_delay_minutes,
           o.qualifier, o.rank, o.reported_by, o.reporter_kind, s.publisher, o.source_id
    from observations_ o
    join launches_ l using (launch_id)
    join sources_ s using (source_id)
)

select * from final order by launch_id, reported_time_utc, source_id
