-- The consent ledger: one row per statement a profile (or a source on its behalf) made.
-- Rows are appended and never changed; the state in force is derived from the latest rows.
create table consent_record (
    id          bigint generated always as identity primary key,
    workspace   text        not null,
    profile_id  text        not null,
    purpose     text        not null check (purpose in ('analytics', 'personalization', 'marketing', 'sale_share', 'sensitive')),
    channel     text        not null check (channel in ('email', 'sms', 'push', 'in_app', 'web', 'all')),
    status      text        not null check (status in ('granted', 'denied', 'revoked')),
    source      text        not null default '',
    recorded_at timestamptz not null
);

-- Check reads one profile's records of one purpose up to an instant; history reads the profile's prefix.
create index consent_record_profile_purpose_time on consent_record (workspace, profile_id, purpose, recorded_at);

-- Consent is evidence: a record, once written, must not be rewritten.
create function consent_record_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'consent_record is append-only';
end
$$;

create trigger consent_record_no_update before update on consent_record
    for each row execute function consent_record_is_append_only();
