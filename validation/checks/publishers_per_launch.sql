-- check: distinct_publishers_per_launch
-- table: sources
-- column: publisher
-- severity: critical
-- why: Every launch rests on at least three different publishers.
with cited as (  -- union all: count(distinct publisher) below removes the repeats more cheaply
    select launch_id, source_id from observations
    union all select launch_id, source_id from claims
    union all select launch_id, source_id from timeline
    union all select launch_id, source_id from reactions
),
final as (
    select l.launch_id, count(distinct s.publisher) as publishers
    from launches l left join cited c using (launch_id) left join sources s using (source_id)
    group by l.launch_id
    having count(distinct s.publisher) < 3
)
select * from final order by launch_id
