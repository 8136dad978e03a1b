-- launch_metrics: one row per launch, the comparison (the resolution rule; in words in schemas/launch_metrics.yaml
-- and the README). Used by `launchbench build` to write dataset/data/launch_metrics.parquet and by validation to
-- recompute it. Grain: one row per launch. Reads the views launches, claims, observation_reports, source_counts.
with

launches_ as (select * from launches),
claims_ as (select * from claims),
-- deprecated rows and figures read only on a page that may not vote (a rewrite) stay out
observations_ as (select * from observation_reports where rank <> 'deprecated' and page_votes),
reporter_kinds_ as (select * from reporter_kinds),
claim_kinds_ as (select claim_kind, cause from claim_kinds),

-- every candidate figure, tagged with the launch-level quantity it feeds; v is minutes, people or epoch seconds
candidates as (
    -- delay: reported delays, and conversation starts measured against the schedule
    select launch_id, 'delay' as quantity, counted_report_id, qualifier_role, rank, value_num as v, stream_part
    from observations_ where metric = 'delay_minutes' and independent
    union all
    select o.launch_id, 'delay', o.counted_report_id, o.qualifier_role, o.rank,
           date_diff('second', l.scheduled_start_utc, o.value_time_utc) / 60.0, o.stream_part
    from observations_ o join launches_ l using (launch_id)
    where o.metric = 'conversation_start' and o.independent and l.scheduled_start_utc is not null
    union all
    -- without a schedule there is no delay, only the programme's start itself
    select o.launch_id, 'conversation_start', o.counted_report_id, o.qualifier_role, o.rank, epoch(o.value_time_utc),
           o.stream_part
    from observations_ o join launches_ l using (launch_id)
    where o.metric = 'conversation_start' and o.independent and l.scheduled_start_utc is null
    union all
    -- the peak: peak figures, and concurrent counts at one moment, which are lower bounds on it (the peak is at
    -- least any count taken during the event); an upper bound on a moment's count says nothing of the peak
    select launch_id, case when independent then 'peak' else 'peak_claimed' end, counted_report_id,
           case when metric = 'concurrent_listeners' then 'lower' else qualifier_role end, rank, value_num, stream_part
    from observations_
    where (independent or interested)
      and (metric = 'peak_concurrent_listeners' or (metric = 'concurrent_listeners' and qualifier_role <> 'upper'))
    union all
    -- durations of the whole event if any independent report gives one, else of the relaunch, else the original
    select launch_id, 'duration', counted_report_id, qualifier_role, rank, value_num, stream_part
    from observations_ where metric = 'duration_minutes' and independent
    qualify dense_rank() over (
        partition by launch_id
        order by case stream_part when 'whole' then 1 when 'relaunch' then 2 else 3 end) = 1
),

-- preferred rows: where a curator prefers some point rows of a quantity, only those rows' reports vote for the point
preferred_quantities as (
    select distinct launch_id, quantity from candidates where rank = 'preferred' and qualifier_role = 'point'
),

preferences as (
    select c.*, p.quantity is not null as quantity_has_preferred
    from candidates c left join preferred_quantities p using (launch_id, quantity)
),

-- one vote per report, role and stream part. A report's point: the largest it gives for a peak (a peak is a
-- maximum), else the lower median of its figures. Its lower bound: the highest it gives; its upper bound: the lowest.
part_votes as (
    select launch_id, quantity, counted_report_id, qualifier_role,
           case when quantity in ('peak', 'peak_claimed') then stream_part else 'any' end as part,
           case
               when qualifier_role = 'lower' then max(v)
               when qualifier_role = 'upper' then min(v)
               when quantity in ('peak', 'peak_claimed') then max(v)
               else percentile_disc(0.5) within group (order by v)
           end as v
    from preferences
    where qualifier_role <> 'point' or not quantity_has_preferred or rank = 'preferred'
    group by launch_id, quantity, counted_report_id, qualifier_role, part
),

-- the event's peak is that of its largest room: the part whose point votes have the highest lower median leads
-- (ties: whole, original, relaunch); a point for a smaller room is a lower bound on the event's peak
leading_part as (
    select launch_id, quantity, part
    from part_votes where qualifier_role = 'point'
    group by launch_id, quantity, part
    qualify row_number() over (
        partition by launch_id, quantity
        order by percentile_disc(0.5) within group (order by v) desc,
                 case part when 'whole' then 1 when 'original' then 2 when 'relaunch' then 3 else 4 end) = 1
),

votes as (
    select p.launch_id, p.quantity, p.counted_report_id,
           case when p.qualifier_role = 'point' and l.part is not null and p.part <> l.part then 'lower'
                else p.qualifier_role end as qualifier_role,
           p.v
    from part_votes p left join leading_part l using (launch_id, quantity)
    where not (p.qualifier_role = 'upper' and l.part is not null and p.part <> l.part)
),

-- the point comes from point votes (lower median, a value some report gave); only where a quantity has no point
-- vote does a bound stand in, and `basis` says so. The range spans the point votes, widened by a lower bound
-- above them or an upper bound below them; with bounds only, it runs from the greatest lower to the least upper.
resolved as (
    select launch_id, quantity,
           case when count(*) filter (where qualifier_role = 'point') > 0 then 'point'
                when count(*) filter (where qualifier_role = 'lower') > 0 then 'lower_bound'
                else 'upper_bound' end as basis,
           percentile_disc(0.5) within group (order by v) filter (where qualifier_role = 'point') as point_v,
           min(v) filter (where qualifier_role = 'point') as min_point,
           max(v) filter (where qualifier_role = 'point') as max_point,
           max(v) filter (where qualifier_role = 'lower') as max_lower,
           min(v) filter (where qualifier_role = 'upper') as min_upper
    from votes group by launch_id, quantity
),

-- the reports behind each value: every point voter (the median rests on them all), or, for a bound-only value,
-- the reports that give that bound
supporting_reports as (
    select v.launch_id, v.quantity, list_sort(list(distinct v.counted_report_id)) as report_ids,
           count(distinct v.counted_report_id) as n_reports
    from votes v join resolved r using (launch_id, quantity)
    where case r.basis when 'point' then v.qualifier_role = 'point'
                       when 'lower_bound' then v.qualifier_role = 'lower' and v.v = r.max_lower
                       else v.qualifier_role = 'upper' and v.v = r.min_upper end
    group by v.launch_id, v.quantity
),

figures as (
    select r.launch_id, r.quantity, r.basis,
           case r.basis when 'point' then r.point_v when 'lower_bound' then r.max_lower else r.min_upper end as point,
           case when r.basis = 'point' then least(r.min_point, coalesce(r.min_upper, r.min_point)) else r.max_lower end
               as low,
           case when r.basis = 'point' then greatest(r.max_point, coalesce(r.max_lower, r.max_point))
                else r.min_upper end as high,
           s.report_ids, s.n_reports
    from resolved r join supporting_reports s using (launch_id, quantity)
),

-- one row per launch, one set of columns per quantity (a single pass over figures; max() of one value)
by_launch as (
    select launch_id,
           max(basis) filter (where quantity = 'delay') as delay_basis,
           max(point) filter (where quantity = 'delay') as delay_point,
           max(low) filter (where quantity = 'delay') as delay_low,
           max(high) filter (where quantity = 'delay') as delay_high,
           max(report_ids) filter (where quantity = 'delay') as delay_report_ids,
           max(n_reports) filter (where quantity = 'delay') as delay_n_reports,
           max(basis) filter (where quantity = 'conversation_start') as start_basis,
           max(point) filter (where quantity = 'conversation_start') as start_point,
           max(report_ids) filter (where quantity = 'conversation_start') as start_report_ids,
           max(basis) filter (where quantity = 'peak') as peak_basis,
           max(point) filter (where quantity = 'peak') as peak_point,
           max(low) filter (where quantity = 'peak') as peak_low,
           max(high) filter (where quantity = 'peak') as peak_high,
           max(report_ids) filter (where quantity = 'peak') as peak_report_ids,
           max(n_reports) filter (where quantity = 'peak') as peak_n_reports,
           max(basis) filter (where quantity = 'peak_claimed') as claimed_basis,
           max(point) filter (where quantity = 'peak_claimed') as claimed_point,
           max(report_ids) filter (where quantity = 'peak_claimed') as claimed_report_ids,
           max(basis) filter (where quantity = 'duration') as duration_basis,
           max(point) filter (where quantity = 'duration') as duration_point,
           max(low) filter (where quantity = 'duration') as duration_low,
           max(high) filter (where quantity = 'duration') as duration_high,
           max(report_ids) filter (where quantity = 'duration') as duration_report_ids,
           max(n_reports) filter (where quantity = 'duration') as duration_n_reports
    from figures group by launch_id
),

first_cause as (
    select c.launch_id, c.claim_kind as claimed_cause, c.statement as claimed_cause_statement,
           c.verdict as claimed_cause_verdict
    from claims_ c
    join reporter_kinds_ k on k.reporter_kind = c.claimant_kind
    join claim_kinds_ ck using (claim_kind)
    where ck.cause and k.interested
    qualify row_number() over (partition by c.launch_id order by c.made_at_utc nulls last, c.claim_id) = 1
),

observation_counts as (
    select launch_id, count(*) as n_observations from observations group by launch_id
),

counts as (
    select l.launch_id, coalesce(s.n_sources, 0) as n_sources, coalesce(s.n_reports, 0) as n_reports,
           coalesce(o.n_observations, 0) as n_observations
    from launches_ l left join source_counts s using (launch_id) left join observation_counts o using (launch_id)
),

final as (
    select l.launch_id, l.title, l.platform_id, l.local_timezone, l.scheduled_start_utc,
           -- derived from the delay where there is a schedule, so the two always agree
           case when l.scheduled_start_utc is not null and f.delay_point is not null
                then to_timestamp(epoch(l.scheduled_start_utc) + round(f.delay_point * 60))
                else to_timestamp(f.start_point) end as conversation_start_utc,
           coalesce(f.delay_basis, f.start_basis) as conversation_start_basis,
           coalesce(f.delay_report_ids, f.start_report_ids, []) as conversation_start_report_ids,
           f.delay_point as delay_minutes, f.delay_low as delay_minutes_low, f.delay_high as delay_minutes_high,
           f.delay_basis, coalesce(f.delay_n_reports, 0) as delay_n_reports,
           coalesce(f.delay_report_ids, []) as delay_report_ids,
           l.relaunched,
           f.peak_point as peak_listeners, f.peak_low as peak_listeners_low, f.peak_high as peak_listeners_high,
           f.peak_basis as peak_listeners_basis, coalesce(f.peak_n_reports, 0) as peak_listeners_n_reports,
           coalesce(f.peak_report_ids, []) as peak_listeners_report_ids,
           f.peak_point as peak_listeners_independent,
           f.claimed_point as peak_listeners_claimed, f.claimed_basis as peak_listeners_claimed_basis,
           coalesce(f.claimed_report_ids, []) as peak_listeners_claimed_report_ids,
           f.duration_point as duration_minutes, f.duration_low as duration_minutes_low,
           f.duration_high as duration_minutes_high, f.duration_basis,
           coalesce(f.duration_n_reports, 0) as duration_n_reports,
           coalesce(f.duration_report_ids, []) as duration_report_ids,
           first_cause.claimed_cause, first_cause.claimed_cause_statement, first_cause.claimed_cause_verdict,
           counts.n_sources, counts.n_reports, counts.n_observations
    from launches_ l
    left join by_launch f using (launch_id)
    left join first_cause using (launch_id)
    join counts using (launch_id)
)

select * from final order by launch_id
