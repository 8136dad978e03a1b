-- launch_metrics: one row per launch, the comparison (the resolution rule, see schemas/launch_metrics.yaml).
-- Used by `launchbench build` to write dataset/data/launch_metrics.parquet and by validation to recompute it.
-- Grain: one row per launch. Reads the views launches, observations, claims, timeline, reactions.
with

launches_ as (select * from launches),
observations_ as (select * from observations where rank <> 'deprecated'),
claims_ as (select * from claims),

-- every candidate figure, tagged with the launch-level quantity it feeds
delay_candidates as (
    select launch_id, rank, reporter_kind, value_num as v
    from observations_ where metric = 'delay_minutes'
    union all
    select o.launch_id, o.rank, o.reporter_kind,
           date_diff('second', l.scheduled_start_utc, o.value_time_utc) / 60.0 as v
    from observations_ o join launches_ l using (launch_id)
    where o.metric = 'conversation_start'
),

-- point = lower median of preferred rows if any, else of all; low/high over all non-deprecated rows
delay as (
    select launch_id,
           coalesce(percentile_disc(0.5) within group (order by v) filter (where rank = 'preferred'), percentile_disc(0.5) within group (order by v)) as delay_minutes,
           min(v) as delay_minutes_low,
           max(v) as delay_minutes_high
    from delay_candidates group by launch_id
),

conversation as (
    select launch_id,
           coalesce(percentile_disc(0.5) within group (order by value_time_utc) filter (where rank = 'preferred'),
                    percentile_disc(0.5) within group (order by value_time_utc)) as conversation_start_utc
    from observations_ where metric = 'conversation_start' group by launch_id
),

peaks as (
    select launch_id,
           coalesce(percentile_disc(0.5) within group (order by value_num) filter (where rank = 'preferred'),
                    percentile_disc(0.5) within group (order by value_num)) as peak_listeners,
           min(value_num) as peak_listeners_low,
           max(value_num) as peak_listeners_high,
           coalesce(percentile_disc(0.5) within group (order by value_num) filter (where rank = 'preferred' and independent),
                    percentile_disc(0.5) within group (order by value_num) filter (where independent)) as peak_listeners_independent,
           coalesce(percentile_disc(0.5) within group (order by value_num) filter (where rank = 'preferred' and interested),
                    percentile_disc(0.5) within group (order by value_num) filter (where interested)) as peak_listeners_claimed
    from (
        select *,
               reporter_kind in ('news_outlet', 'wire_service', 'outage_tracker', 'analyst') as independent,
               reporter_kind in ('platform_owner', 'platform', 'host', 'campaign') as interested
        from observations_ where metric = 'peak_concurrent_listeners'
    ) group by launch_id
),

-- durations of the whole event if reported, else of the relaunched room, else of the original room
duration_rows as (
    select *
    from observations_ where metric = 'duration_minutes'
    qualify dense_rank() over (
        partition by launch_id
        order by case stream_part when 'whole' then 1 when 'relaunch' then 2 else 3 end) = 1
),

duration as (
    select launch_id,
           coalesce(percentile_disc(0.5) within group (order by value_num) filter (where rank = 'preferred'),
                    percentile_disc(0.5) within group (order by value_num)) as duration_minutes
    from duration_rows group by launch_id
),

first_cause as (
    select launch_id, claim_kind as claimed_cause, statement as claimed_cause_statement,
           verdict as claimed_cause_verdict
    from claims_
    where claim_kind like 'cause\_%' escape '\'
      and claimant_kind in ('platform_owner', 'platform', 'host', 'campaign')
    qualify row_number() over (partition by launch_id order by made_at_utc nulls last, claim_id) = 1
),

-- union all, then count distinct: cheaper than a union's de-duplication on large tables
cited as (
    select launch_id, source_id from observations
    union all select launch_id, source_id from claims
    union all select launch_id, unnest(evidence_source_ids) from claims
    union all select launch_id, source_id from timeline
    union all select launch_id, source_id from reactions
),

source_counts as (
    select launch_id, count(distinct source_id) as n_sources from cited group by launch_id
),

observation_counts as (
    select launch_id, count(*) as n_observations from observations group by launch_id
),

counts as (
    select l.launch_id, coalesce(s.n_sources, 0) as n_sources, coalesce(o.n_observations, 0) as n_observations
    from launches_ l left join source_counts s using (launch_id) left join observation_counts o using (launch_id)
),

final as (
    select l.launch_id, l.title, l.platform_id, l.local_timezone, l.scheduled_start_utc,
           conversation.conversation_start_utc,
           delay.delay_minutes, delay.delay_minutes_low, delay.delay_minutes_high,
           l.relaunched,
           peaks.peak_listeners, peaks.peak_listeners_low, peaks.peak_listeners_high,
           peaks.peak_listeners_independent, peaks.peak_listeners_claimed,
           duration.duration_minutes,
           first_cause.claimed_cause, first_cause.claimed_cause_statement, first_cause.claimed_cause_verdict,
           counts.n_sources, counts.n_observations
    from launches_ l
    left join conversation using (launch_id)
    left join delay using (launch_id)
    left join peaks using (launch_id)
    left join duration using (launch_id)
    left join first_cause using (launch_id)
    join counts using (launch_id)
)

select * from final order by launch_id
