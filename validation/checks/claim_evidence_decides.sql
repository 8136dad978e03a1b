-- check: verdict_has_deciding_evidence
-- table: claims
-- column: verdict
-- severity: critical
-- why: A verdict other than unverified rests on at least one evidence row with its deciding stance (verdicts.deciding_stance), asserted by an independent party (reporter_kinds.independent), read on a page carrying another report than the claim's own, and not only on a rewrite (copy_kinds.votes), which may garble what it carries.
with

claims_ as (
    select c.claim_id, c.verdict, s.report_id as claim_report_id
    from claims c join sources s using (source_id)
),
evidence as (
    select e.claim_id, e.stance, e.asserted_by_kind, s.report_id, ck.votes
    from claim_evidence e join sources s using (source_id) join copy_kinds ck using (copy_kind)
),

deciding as (
    select distinct c.claim_id
    from claims_ c
    join evidence e using (claim_id)
    join verdicts v using (verdict)
    join stances st using (stance)
    join reporter_kinds k on k.reporter_kind = e.asserted_by_kind
    where k.independent and e.votes
      and e.report_id <> c.claim_report_id
      and (e.stance = v.deciding_stance or (v.deciding_stance = 'either' and st.takes_side))
),

final as (
    select c.claim_id, c.verdict, v.deciding_stance
    from claims_ c join verdicts v using (verdict)
    where v.deciding_stance <> 'none' and c.claim_id not in (select claim_id from deciding)
)

select * from final order by claim_id
