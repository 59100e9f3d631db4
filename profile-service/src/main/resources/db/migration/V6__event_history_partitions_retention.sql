-- Foreign keys to profiles name the workspace too, so that the check a profile deletion (erasure,
-- merge) makes in each referencing table uses that table's (workspace, profile) index instead of
-- scanning it.
drop index profile_workspace_idx;
alter table profile add constraint profile_workspace_id_key unique (workspace, id);
alter table profile_identifier drop constraint profile_identifier_profile_id_fkey,
    add constraint profile_identifier_profile_fkey foreign key (workspace, profile_id) references profile (workspace, id);
alter table dropped_identifier drop constraint dropped_identifier_profile_id_fkey,
    add constraint dropped_identifier_profile_fkey foreign key (workspace, profile_id) references profile (workspace, id);
alter table profile_alias drop constraint profile_alias_survivor_id_fkey,
    add constraint profile_alias_survivor_fkey foreign key (workspace, survivor_id) references profile (workspace, id);

-- Event history partitioned by month of the event's time, so that retention drops whole months
-- and a profile's history read for a time range touches only the months it spans. Months get
-- their partition ahead of time (ensure_profile_event_partition, called by the service); an event
-- outside every monthly partition (far past, far future) lands in profile_event_default.
alter table profile_event rename to profile_event_unpartitioned;
alter index profile_event_history_idx rename to profile_event_unpartitioned_history_idx;

create table profile_event (
    workspace       text        not null,
    message_id      text        not null,
    -- No foreign key: on a partitioned table it costs every profile deletion a check in every
    -- month. Every writer of history rows updates the profile row (version-checked) in the same
    -- transaction, so an erased or merged profile cannot get events behind its back.
    profile_id      uuid        not null,
    type            text        not null,
    event           text,
    channel         text,
    user_id         text,
    anonymous_id    text,
    previous_id     text,
    group_id        text,
    source_id       text,
    occurred_at     timestamptz not null,
    received_at     timestamptz,
    payload         jsonb       not null,
    changed_traits  jsonb       not null,
    recorded_at     timestamptz not null
) partition by range (occurred_at);
create index profile_event_history_idx on profile_event (workspace, profile_id, occurred_at desc, message_id desc);
create table profile_event_default partition of profile_event default;

-- The idempotency key of the history: a partitioned table can only enforce keys that contain its
-- partition key, and a resent event may carry another time. profile_id and occurred_at find the
-- recorded event again, for a replay.
create table recorded_message (
    workspace    text        not null,
    message_id   text        not null,
    profile_id   uuid        not null,
    occurred_at  timestamptz not null,
    primary key (workspace, message_id)
);
create index recorded_message_profile_idx on recorded_message (workspace, profile_id);
create index recorded_message_occurred_idx on recorded_message (occurred_at);

-- Creates the month's partition, moving that month's rows out of the default partition first (a
-- partition cannot be attached while the default one holds rows of its range). Idempotent, and
-- serialised across instances.
create function ensure_profile_event_partition(month date) returns boolean language plpgsql as $$
declare
    partition text := 'profile_event_' || to_char(month, 'YYYY_MM');
    starts timestamptz := date_trunc('month', month)::timestamp at time zone 'UTC';
    ends timestamptz := (date_trunc('month', month) + interval '1 month')::timestamp at time zone 'UTC';
begin
    perform pg_advisory_xact_lock(hashtext('profile_event_partitions'));
    if to_regclass(partition) is not null then
        return false;
    end if;
    execute format('create table %I (like profile_event including defaults including constraints)', partition);
    execute format('with moved as (delete from profile_event_default where occurred_at >= %L and occurred_at < %L returning *) '
                   'insert into %I select * from moved', starts, ends, partition);
    execute format('alter table profile_event attach partition %I for values from (%L) to (%L)', partition, starts, ends);
    return true;
end;
$$;

-- The months around the existing history and the next few; older rows stay in the default partition.
select ensure_profile_event_partition(month::date)
from generate_series(date_trunc('month', now() - interval '12 months'), date_trunc('month', now() + interval '3 months'),
                     interval '1 month') as month;

insert into profile_event select * from profile_event_unpartitioned;
insert into recorded_message (workspace, message_id, profile_id, occurred_at)
select workspace, message_id, profile_id, occurred_at from profile_event_unpartitioned;
drop table profile_event_unpartitioned;

-- How long each workspace keeps event history; a workspace without a row keeps it for the
-- service's default (kairos.profile.history.retention).
create table history_retention (
    workspace   text        primary key,
    days        integer     not null check (days between 1 and 36500),
    updated_at  timestamptz not null,
    updated_by  text        not null
);
