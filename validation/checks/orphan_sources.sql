-- check: no_orphan_sources
-- table: sources
-- column: source_id
-- severity: critical
-- why: Every source in the registry is cited by at least one row; an uncited page is a leftover.
with final as (  -- an anti join: cheaper than NOT IN over a large list
    select s.source_id, s.url from sources s
    where not exists (select 1 from launch_sources c where c.source_id = s.source_id)
)
select * from final order by source_id
