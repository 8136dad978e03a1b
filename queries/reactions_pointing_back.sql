-- name: reactions_pointing_back
-- purpose: Reactions to one launch that point back at an earlier one (e.g. the Harris campaign recalling DeSantis in 2024).
-- params: none
-- grain: one row per such reaction
with

reactions_ as (select * from reactions where references_launch_id is not null),

final as (
    select r.launch_id, r.references_launch_id, a.name as actor, r.stance, r.statement, r.at_utc,
           s.publisher, r.source_id
    from reactions_ r join actors a using (actor_id) join sources s using (source_id)
)

select * from final order by launch_id, actor, source_id
