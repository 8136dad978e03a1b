-- check: evidence_quotes_short
-- table: claim_evidence
-- column: quote
-- severity: critical
-- why: An evidence quote is the few words that decide (at most about 40 words), not a copied paragraph.
with final as (
    select evidence_id, claim_id, len(string_split(trim(quote), ' ')) as n_words
    from claim_evidence
    where len(string_split(trim(quote), ' ')) > 45
)
select * from final order by evidence_id
