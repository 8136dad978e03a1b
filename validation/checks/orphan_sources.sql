-- check: no_orphan_sources
-- table: sources
-- column: source_id
-- severity: critical
-- why: Every source in the registry is cited by at least one row; an uncited page is a leftover.
with cited as (
    select source_id from observations
    union select source_id from claims
    union select unnest(evidence_source_ids) from claims
    union select source_id from timeline
    union select source_id from reactions
),
final as (
    select s.source_id, s.url from sources s
    where s.source_id not in (select source_id from cited)
)
select * from final order by source_id
