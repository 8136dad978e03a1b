-- name: claims_with_verdicts
-- purpose: Claims about each launch with the claimant, the verdict, the reason and the evidence sources.
-- params: none
-- grain: one row per claim
with

claims_ as (select * from claims),
actors_ as (select actor_id, name from actors),

final as (
    select c.launch_id, c.claim_id, a.name as claimant, c.claimant_kind, c.claim_kind, c.statement,
           c.made_at_utc, c.verdict, c.verdict_note, array_length(c.evidence_source_ids) as n_evidence,
           c.evidence_source_ids
    from claims_ c join actors_ a on a.actor_id = c.claimant_actor_id
)

select * from final order by launch_id, claim_kind, claim_id
