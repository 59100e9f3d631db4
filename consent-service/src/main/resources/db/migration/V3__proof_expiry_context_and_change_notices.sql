-- Consent records carry how they came to be (admin API, an event, a GPC signal), proof of how
-- they were given, and for grants an expiry. Records read from events name the event, so a
-- redelivered event appends nothing twice.
alter table consent_record
    add column origin     text not null default 'admin' check (origin in ('admin', 'event', 'gpc')),
    add column form_id    text not null default '',
    add column ip         text not null default '',
    add column user_agent text not null default '',
    add column expires_at timestamptz,
    add column message_id text,
    add constraint consent_record_expiry_is_for_grants check (expires_at is null or status = 'granted');

create unique index consent_record_from_event on consent_record (workspace, profile_id, message_id, purpose, channel)
    where message_id is not null;

-- Still append-only, with one exception: a profile merge re-attaches the merged profile's records
-- to the survivor, changing profile_id and nothing else.
create or replace function consent_record_is_append_only() returns trigger language plpgsql as $$
begin
    if (new.id, new.workspace, new.purpose, new.channel, new.status, new.source, new.recorded_at, new.origin,
        new.form_id, new.ip, new.user_agent, new.expires_at, new.message_id)
       is not distinct from
       (old.id, old.workspace, old.purpose, old.channel, old.status, old.source, old.recorded_at, old.origin,
        old.form_id, old.ip, old.user_agent, old.expires_at, old.message_id) then
        return new;
    end if;
    raise exception 'consent_record is append-only';
end
$$;

-- Where a profile is, as resolved events last told: its $timezone, $country and $region traits.
create table profile_context (
    workspace  text        not null,
    profile_id text        not null,
    timezone   text,
    country    text,
    region     text,
    updated_at timestamptz not null,
    primary key (workspace, profile_id)
);

-- Every change a cached decision depends on is announced when it commits, on channel
-- kairos_consent as "<workspace>\t<profileId>" ("<workspace>\t" for the whole workspace).
create function announce_consent_change() returns trigger language plpgsql as $$
declare
    changed record;
begin
    changed := coalesce(new, old);
    if tg_table_name = 'workspace_policies' then
        perform pg_notify('kairos_consent', changed.workspace || E'\t');
    else
        perform pg_notify('kairos_consent', changed.workspace || E'\t' || changed.profile_id);
        if tg_op = 'UPDATE' and old.profile_id is distinct from new.profile_id then
            perform pg_notify('kairos_consent', old.workspace || E'\t' || old.profile_id);
        end if;
    end if;
    return null;
end
$$;

create trigger consent_record_announce after insert or update or delete on consent_record
    for each row execute function announce_consent_change();
create trigger profile_context_announce after insert or update or delete on profile_context
    for each row execute function announce_consent_change();
create trigger workspace_policies_announce after insert or update or delete on workspace_policies
    for each row execute function announce_consent_change();
