-- Segment definitions. The id is a UUID; every query still filters by workspace.
create table segment (
    id              text        primary key,
    workspace       text        not null,
    name            text        not null,
    version         integer     not null,
    definition_json text        not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    constraint segment_name_unique unique (workspace, name)
);
create index segment_by_workspace on segment (workspace, created_at, id);

-- The per-workspace dependency index: which segments read an event name or a trait, so that an
-- incoming event re-evaluates only the segments it can affect.
create table segment_dependency (
    workspace  text not null,
    kind       text not null check (kind in ('event', 'trait')),
    name       text not null,
    segment_id text not null references segment (id) on delete cascade,
    primary key (workspace, kind, name, segment_id)
);
create index segment_dependency_by_segment on segment_dependency (segment_id);

-- What the evaluator needs of each profile seen on kairos.events.resolved.
create table profile_state (
    workspace   text        not null,
    profile_id  text        not null,
    traits_json jsonb       not null,
    updated_at  timestamptz not null,
    primary key (workspace, profile_id)
);

-- Events whose name some segment of the workspace references; message_id deduplicates redeliveries.
create table profile_event (
    workspace       text        not null,
    profile_id      text        not null,
    message_id      text        not null,
    name            text        not null,
    occurred_at     timestamptz not null,
    properties_json jsonb       not null,
    primary key (workspace, profile_id, message_id)
);
create index profile_event_window on profile_event (workspace, profile_id, name, occurred_at);

create table segment_membership (
    workspace  text        not null,
    segment_id text        not null references segment (id),
    profile_id text        not null,
    entered_at timestamptz not null,
    primary key (workspace, segment_id, profile_id)
);
create index segment_membership_by_profile on segment_membership (workspace, profile_id);

-- Membership changes written in the same transaction as the membership itself and deleted once
-- Kafka acknowledged them (transactional outbox): a crash between the two never loses a change.
create table membership_outbox (
    seq        bigserial   primary key,
    workspace  text        not null,
    profile_id text        not null,
    change_id  text        not null unique,
    payload    bytea       not null,
    created_at timestamptz not null
);
create index membership_outbox_by_profile on membership_outbox (workspace, profile_id, seq);
