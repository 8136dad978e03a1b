-- check: same_assertion_same_verdict
-- table: claims
-- column: verdict
-- severity: critical
-- why: The same assertion gets the same verdict wherever it appears: claims of one launch with the same kind and the same figure should agree.
with matches as (  -- every figure in a statement, with its unit word if any ("2 Millionen", "700k", "1.5 million")
    select claim_id, launch_id, claim_kind, verdict,
           unnest(regexp_extract_all(replace(statement, ',', ''),
                                     '(?i)(\d+(?:\.\d+)?)\s*(mil\w*|mio\b|k\b|m\b)?', 0)) as match
    from claims
),
figures as (
    select *, cast(regexp_extract(match, '\d+(?:\.\d+)?') as double)
              * case when regexp_matches(lower(match), '(mil|mio|m$)') then 1e6
                     when regexp_matches(lower(match), 'k$') then 1e3 else 1 end as figure,
           regexp_matches(lower(match), '[a-z]') as has_unit
    from matches
),
final as (
    select launch_id, claim_kind, figure,
           list(distinct verdict order by verdict) as verdicts, list(distinct claim_id order by claim_id) as claim_ids
    from figures
    where figure >= 1000 and not (figure between 1900 and 2100 and not has_unit)  -- not years or small counts
    group by launch_id, claim_kind, figure
    having count(distinct verdict) > 1
)
select * from final order by launch_id, claim_kind, figure
