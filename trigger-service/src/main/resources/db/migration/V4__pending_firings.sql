-- A firing that waits (delay, unless window, or deferred by quiet hours) is a row here until it is
-- due; PostgreSQL is the source of truth, so waits survive restarts of the service. Instances claim
-- due rows with FOR UPDATE SKIP LOCKED and a lease (claimed_until): a crashed claimer's rows are
-- claimed again once the lease ends, and the delivery log keeps a firing from being sent twice.
create table pending_firing (
    firing_id     uuid        primary key,
    -- One wait per key: the firing id, or trigger and profile when the wait restarts on each entry.
    wait_key      text        not null unique,
    workspace     text        not null,
    trigger_id    uuid        not null,
    profile_id    text        not null,
    channel       text        not null,
    cause_json    jsonb       not null,
    traits_json   jsonb       not null,
    entered_at    timestamptz not null,
    due_at        timestamptz not null,
    -- The event that cancels the wait while it comes before unless_until.
    unless_event  text,
    unless_until  timestamptz,
    reason        text        not null check (reason in ('delay', 'unless', 'deferred')),
    claimed_until timestamptz
);
create index pending_firing_due on pending_firing (due_at);
create index pending_firing_profile on pending_firing (workspace, profile_id);

alter table delivery drop constraint delivery_outcome_check;
alter table delivery add constraint delivery_outcome_check check (outcome in ('sent', 'skipped', 'failed', 'deferred'));
