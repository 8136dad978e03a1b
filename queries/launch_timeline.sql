-- name: launch_timeline
-- purpose: One launch's timeline, in order, with minutes from the scheduled start and the source's publisher.
-- params: launch_id (text, required), e.g. 2023-05-24-desantis-twitter-spaces
-- grain: one row per timeline moment of the launch
with

launch as (select launch_id, scheduled_start_utc from launches where launch_id = $launch_id),
timeline_ as (select * from timeline where launch_id = $launch_id),

final as (
    select t.seq, t.at_utc, round(date_diff('second', l.scheduled_start_utc, t.at_utc) / 60.0) as minutes_from_schedule,
           t.precision_minutes, t.kind, t.description, s.publisher, t.source_id
    from timeline_ t join launch l using (launch_id) join sources s using (source_id)
)

select * from final order by seq
