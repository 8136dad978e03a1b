-- check: verdict_has_deciding_evidence
-- table: claims
-- column: verdict
-- severity: critical
-- why: A verdict other than unverified rests on at least one evidence row with its deciding stance (verdicts.deciding_stance), asserted by an independent party (reporter_kinds.independent), read on a page carrying another report than the claim's own, and not only on a rewrite (copy_kinds.votes), which may garble what it carries.
with

final as (
    select c.claim_id, c.verdict, v.deciding_stance
    from claims c join verdicts v using (verdict)
    where v.deciding_stance <> 'none' and c.claim_id not in (select claim_id from deciding_evidence)
)

select * from final order by claim_id
