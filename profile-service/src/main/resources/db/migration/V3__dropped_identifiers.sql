-- Identifiers of an event that identity resolution did not attach, and why: the profile already
-- held as many of that type as the rules allow (LIMIT_REACHED), or another profile holds it and
-- merging the two would break a limit (CONFLICTING_PROFILE). Erased with the profile.
create table dropped_identifier (
    workspace    text        not null,
    message_id   text        not null,
    type         text        not null,
    value        text        not null,
    profile_id   uuid        not null references profile (id),
    reason       text        not null,
    detail       text        not null,
    dropped_at   timestamptz not null,
    primary key (workspace, message_id, type, value)
);
create index dropped_identifier_profile_idx on dropped_identifier (workspace, profile_id);
