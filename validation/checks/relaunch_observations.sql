-- check: relaunched_has_relaunch_observations
-- table: launches
-- column: relaunched
-- severity: critical
-- why: A launch marked relaunched has figures for its relaunched room; one not relaunched has none.
with parts as (
    select launch_id, bool_or(stream_part = 'relaunch') as has_relaunch
    from observations group by launch_id
),
final as (
    select l.launch_id, l.relaunched, coalesce(p.has_relaunch, false) as has_relaunch_observations
    from launches l left join parts p using (launch_id)
    where l.relaunched <> coalesce(p.has_relaunch, false)
)
select * from final order by launch_id
