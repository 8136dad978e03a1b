-- check: evidence_notes_written_per_row
-- table: claim_evidence
-- column: note
-- severity: critical
-- why: An evidence note says what that passage shows for that claim; one note repeated over several passages is a template.
with final as (
    select note, count(*) as n_rows, list(evidence_id order by evidence_id) as evidence_ids
    from claim_evidence
    group by note
    having count(*) > 1
)
select * from final order by n_rows desc, note
