-- check: no_orphan_reports
-- table: reports
-- column: report_id
-- severity: critical
-- why: Every report is carried by a page (sources.report_id) or named by an observation (observations.report_id).
with used as (
    select report_id from sources
    union all select report_id from observations where report_id is not null
),
final as (
    select r.report_id, r.publisher from reports r
    where not exists (select 1 from used u where u.report_id = r.report_id)
)
select * from final order by report_id
