-- check: verdict_has_independent_evidence
-- table: claims
-- column: evidence_source_ids
-- severity: critical
-- why: A verdict other than unverified rests on evidence from a page other than the claimant's own posts.
with evidence as (
    select c.claim_id, e.source_id
    from claims c, unnest(c.evidence_source_ids) as e(source_id)
),
independent as (
    select distinct e.claim_id
    from evidence e join sources s using (source_id)
    where s.source_kind not in ('platform_post', 'campaign')
),
final as (
    select claim_id, verdict, evidence_source_ids from claims
    where verdict <> 'unverified' and claim_id not in (select claim_id from independent)
)
select * from final order by claim_id
