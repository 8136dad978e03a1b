-- check: distinct_publishers_per_launch
-- table: reports
-- column: publisher
-- severity: critical
-- why: Every launch rests on reports from at least three different originating publishers.
with final as (
    select l.launch_id, count(distinct r.publisher) as publishers
    from launches l left join launch_sources c using (launch_id) left join reports r on r.report_id = c.report_id
    group by l.launch_id
    having count(distinct r.publisher) < 3
)
select * from final order by launch_id
