-- Triggers can be paused (kept, not firing) and edited; updated_at is the last change of either.
alter table trigger_definition
    add column status text not null default 'active' check (status in ('active', 'paused')),
    add column updated_at timestamptz;

update trigger_definition set updated_at = created_at;

alter table trigger_definition alter column updated_at set not null;
