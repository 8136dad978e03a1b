-- launch_sources: every page a launch cites, once per way it is cited (observation, claim, claim evidence,
-- timeline, reaction), with the page's report. The one definition of "the sources of a launch": n_sources in
-- launch_metrics, the named queries, the report and the checks all count from here.
with

cited as (
    select launch_id, source_id, 'observation' as cited_as from observations
    union all select launch_id, source_id, 'claim' from claims
    union all select c.launch_id, e.source_id, 'claim_evidence' from claim_evidence e join claims c using (claim_id)
    union all select launch_id, source_id, 'timeline' from timeline
    union all select launch_id, source_id, 'reaction' from reactions
),

final as (
    select c.launch_id, c.source_id, s.report_id, s.copy_kind, c.cited_as
    from cited c join sources s using (source_id)
)

select * from final
