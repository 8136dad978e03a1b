-- deciding_evidence: the claim_evidence rows a claim's verdict rests on. A row decides when its stance is the
-- verdict's deciding stance (verdicts.deciding_stance; for disputed, any side-taking stance), its asserter is
-- independent (reporter_kinds.independent), it is read on a page carrying another report than the claim's own,
-- and that page may vote (copy_kinds.votes: a rewrite may garble what it carries). The one definition: the check
-- verdict_has_deciding_evidence and the benchmark's claims task (gold evidence) both read it.
with

claims_ as (
    select c.claim_id, c.verdict, s.report_id as claim_report_id
    from claims c join sources s using (source_id)
),

evidence as (
    select e.evidence_id, e.claim_id, e.stance, e.asserted_by_kind, s.report_id, ck.votes
    from claim_evidence e join sources s using (source_id) join copy_kinds ck using (copy_kind)
),

final as (
    select e.evidence_id, e.claim_id
    from claims_ c
    join evidence e using (claim_id)
    join verdicts v using (verdict)
    join stances st using (stance)
    join reporter_kinds k on k.reporter_kind = e.asserted_by_kind
    where k.independent and e.votes
      and e.report_id <> c.claim_report_id
      and (e.stance = v.deciding_stance or (v.deciding_stance = 'either' and st.takes_side))
)

select * from final
