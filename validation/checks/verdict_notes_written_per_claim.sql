-- check: verdict_notes_written_per_claim
-- table: claims
-- column: verdict_note
-- severity: critical
-- why: A verdict note is written for its claim; the same note on several claims is a template, not a judgement.
with final as (
    select verdict_note, count(*) as n_claims, list(claim_id order by claim_id) as claim_ids
    from claims
    group by verdict_note
    having count(*) > 1
)
select * from final order by n_claims desc, verdict_note
