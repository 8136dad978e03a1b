-- check: no_orphan_sources
-- table: sources
-- column: source_id
-- severity: critical
-- why: Every source in the registry is cited by at least one row; an uncited page is a leftover.
with cited as (
    select source_id from observations
    union all select source_id from claims
    union all select unnest(evidence_source_ids) from claims
    union all select source_id from timeline
    union all select source_id from reactions
),
final as (  -- an anti join: cheaper than NOT IN over a large list
    select s.source_id, s.url from sources s
    where not exists (select 1 from cited c where c.source_id = s.source_id)
)
select * from final order by source_id
