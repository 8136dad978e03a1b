-- observation_reports: each observation with the report it counts as (its own report_id, else its page's),
-- what its qualifier bounds (point, lower, upper), whether its reporter is independent or interested, and whether
-- its page may vote (copy_kinds.votes: a figure read only on a rewrite is kept but does not vote).
-- The resolution rule (queries/derived/launch_metrics.sql) and the checks read observations through it.
with

observations_ as (select * from observations),
sources_ as (select source_id, report_id as page_report_id, copy_kind as page_copy_kind from sources),

final as (
    select o.*,
           coalesce(o.report_id, s.page_report_id) as counted_report_id,
           q.role as qualifier_role,
           k.independent,
           k.interested,
           s.page_copy_kind,
           c.votes as page_votes
    from observations_ o
    join sources_ s using (source_id)
    join copy_kinds c on c.copy_kind = s.page_copy_kind
    join qualifiers q using (qualifier)
    join reporter_kinds k using (reporter_kind)
)

select * from final
