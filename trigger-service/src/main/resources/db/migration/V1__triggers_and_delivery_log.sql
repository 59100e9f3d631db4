-- Trigger definitions. definition_json is the definition as accepted (secrets included: it is
-- what fires); the API only ever hands out a redacted copy. Deleted triggers stay for the
-- delivery log's sake but never fire again.
create table trigger_definition (
    id              uuid        primary key,
    workspace       text        not null,
    name            text        not null,
    version         integer     not null,
    definition_json text        not null,
    entry_kind      text        not null check (entry_kind in ('event', 'segmentEntered', 'segmentExited')),
    entry_key       text        not null,
    created_at      timestamptz not null,
    deleted_at      timestamptz
);

-- A name identifies a live trigger in its workspace (a retried create must not double the sends).
create unique index trigger_definition_live_name on trigger_definition (workspace, name) where deleted_at is null;
-- The hot path: which live triggers listen to this event name / segment?
create index trigger_definition_live_entry on trigger_definition (workspace, entry_kind, entry_key) where deleted_at is null;

-- One row per firing. The primary key on the deterministic firing id is what makes a redelivered
-- cause unable to send twice.
create table delivery (
    firing_id       uuid        primary key,
    workspace       text        not null,
    trigger_id      uuid        not null,
    profile_id      text        not null,
    channel         text        not null,
    cause_id        text        not null,
    outcome         text        not null check (outcome in ('sent', 'skipped', 'failed')),
    reason          text,
    attempts        integer     not null,
    response_status integer,
    fired_at        timestamptz not null,
    recorded_at     timestamptz not null
);

create index delivery_by_trigger on delivery (workspace, trigger_id, fired_at desc, firing_id desc);
create index delivery_by_profile on delivery (workspace, trigger_id, profile_id, fired_at desc, firing_id desc);
