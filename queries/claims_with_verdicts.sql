-- name: claims_with_verdicts
-- purpose: Claims about each launch with the claimant, the verdict, the reason and the quoted evidence that decides it.
-- params: none
-- grain: one row per claim; `evidence` lists its passages (deciding stances first), each with its page
with

claims_ as (select * from claims),
actors_ as (select actor_id, name from actors),
evidence_ as (
    select e.claim_id, e.evidence_id, e.stance, e.asserted_by, e.asserted_by_kind, e.quote, e.note,
           s.publisher, s.url, k.independent
    from claim_evidence e
    join sources s using (source_id)
    join reporter_kinds k on k.reporter_kind = e.asserted_by_kind
),

evidence_per_claim as (
    select claim_id,
           count(*) filter (where independent and stance <> 'context') as n_independent_deciding,
           list({'stance': stance, 'asserted_by': asserted_by, 'independent': independent, 'quote': quote,
                 'publisher': publisher, 'url': url}
                order by stance = 'context', not independent, evidence_id) as evidence
    from evidence_
    group by claim_id
),

final as (
    select c.launch_id, c.claim_id, a.name as claimant, c.claimant_kind, c.claim_kind, c.statement,
           c.made_at_utc, c.verdict, c.verdict_note, array_length(c.evidence_source_ids) as n_evidence,
           coalesce(e.n_independent_deciding, 0) as n_independent_deciding, c.evidence_source_ids, e.evidence
    from claims_ c
    join actors_ a on a.actor_id = c.claimant_actor_id
    left join evidence_per_claim e using (claim_id)
)

select * from final order by launch_id, claim_kind, claim_id
