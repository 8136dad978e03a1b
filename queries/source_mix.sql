-- name: source_mix
-- purpose: The source mix per launch: pages, publishers, syndicated copies, and how many figures come from independent reporters.
-- params: none
-- grain: one row per launch and source kind
with

cited as (
    select launch_id, source_id from observations
    union select launch_id, source_id from claims
    union select launch_id, unnest(evidence_source_ids) from claims
    union select launch_id, source_id from timeline
    union select launch_id, source_id from reactions
),

independent_figures as (
    select launch_id, source_id,
           bool_or(reporter_kind in ('news_outlet', 'wire_service', 'outage_tracker', 'analyst')) as independent
    from observations group by launch_id, source_id
),

final as (
    select c.launch_id, s.source_kind, count(*) as n_sources, count(distinct s.publisher) as n_publishers,
           count(*) filter (where s.original_publisher is not null) as n_syndicated_copies,
           count(*) filter (where f.independent) as n_with_independent_figures
    from cited c join sources s using (source_id)
    left join independent_figures f using (launch_id, source_id)
    group by c.launch_id, s.source_kind
)

select * from final order by launch_id, n_sources desc, source_kind
