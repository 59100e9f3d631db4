-- Unified profiles. System traits ($firstSeen, $lastSeen, $channels, $timezone, $locale)
-- live inside traits so consumers see one object; first/last seen are also columns to query on.
create table profile (
    id          uuid        primary key,
    workspace   text        not null,
    traits      jsonb       not null,
    first_seen  timestamptz not null,
    last_seen   timestamptz not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    version     bigint      not null
);
create index profile_workspace_idx on profile (workspace, id);

-- The identity graph: each identifier (type + normalised value) belongs to one profile per workspace.
create table profile_identifier (
    workspace   text        not null,
    type        text        not null,
    value       text        not null,
    profile_id  uuid        not null references profile (id),
    created_at  timestamptz not null,
    primary key (workspace, type, value)
);
create index profile_identifier_profile_idx on profile_identifier (workspace, profile_id);

-- Per-profile event history; the primary key makes a redelivered or resent messageId a no-op.
create table profile_event (
    workspace       text        not null,
    message_id      text        not null,
    profile_id      uuid        not null references profile (id),
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
    recorded_at     timestamptz not null,
    primary key (workspace, message_id)
);
create index profile_event_history_idx on profile_event (workspace, profile_id, occurred_at desc, message_id desc);

-- Events that tied identifiers of several profiles together: the profiles that must be merged
-- into the survivor. Recorded now, merged by a later release.
create table merge_candidate (
    workspace         text        not null,
    survivor_id       uuid        not null references profile (id),
    absorbed_id       uuid        not null references profile (id),
    cause_message_id  text        not null,
    detected_at       timestamptz not null,
    primary key (workspace, survivor_id, absorbed_id)
);
