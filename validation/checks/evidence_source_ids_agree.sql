-- check: evidence_source_ids_agree
-- table: claims
-- column: evidence_source_ids
-- severity: critical
-- why: claims.evidence_source_ids is derived by the build: exactly the pages of the claim's evidence rows that take a side and are asserted by an independent party, sorted.
with

from_evidence as (
    select e.claim_id, list(distinct e.source_id order by e.source_id) as source_ids
    from claim_evidence e
    join stances st using (stance)
    join reporter_kinds k on k.reporter_kind = e.asserted_by_kind
    where st.takes_side and k.independent
    group by e.claim_id
),

final as (
    select c.claim_id, c.evidence_source_ids, e.source_ids as from_claim_evidence
    from claims c left join from_evidence e using (claim_id)
    where coalesce(c.evidence_source_ids, []) <> coalesce(e.source_ids, [])
)

select * from final order by claim_id
