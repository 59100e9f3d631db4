-- Privacy requests (delete, suppress, export) for one profile each. The deadline is fixed at
-- submission from the jurisdiction governing the profile; services lists those whose reports
-- complete the request. published_at is set once Kafka acknowledged the fan-out on
-- kairos.privacy.requests; until then the relay publishes it again.
create table privacy_request (
    id           uuid        primary key,
    workspace    text        not null,
    profile_id   text        not null,
    kind         text        not null check (kind in ('delete', 'suppress', 'export')),
    requested_by text        not null,
    note         text        not null,
    jurisdiction text        not null,
    services     text[]      not null,
    requested_at timestamptz not null,
    deadline     timestamptz not null,
    published_at timestamptz,
    completed_at timestamptz
);
create index privacy_request_by_workspace on privacy_request (workspace, requested_at desc, id desc);
create index privacy_request_unpublished on privacy_request (requested_at) where published_at is null;
create index privacy_request_open on privacy_request (workspace, deadline) where completed_at is null;
-- At most one open request per profile and kind: submitting it again answers the open one.
create unique index privacy_request_one_open on privacy_request (workspace, profile_id, kind) where completed_at is null;

-- Each service's latest report. export_json holds an export's data: personal data, kept only as
-- long as the request (erasing the profile does not erase its exports; deleting the request does).
create table privacy_request_report (
    request_id  uuid        not null references privacy_request (id) on delete cascade,
    service     text        not null,
    outcome     text        not null check (outcome in ('done', 'failed')),
    detail      text        not null,
    export_json jsonb,
    reported_at timestamptz not null,
    primary key (request_id, service)
);

-- Who asked, what was published, what each service reported and when the request completed.
create table privacy_request_audit (
    seq        bigserial   primary key,
    request_id uuid        not null references privacy_request (id) on delete cascade,
    at         timestamptz not null,
    actor      text        not null,
    action     text        not null check (action in ('submitted', 'published', 'reported', 'completed')),
    detail     text        not null
);
create index privacy_request_audit_by_request on privacy_request_audit (request_id, seq);

create function privacy_request_audit_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'privacy_request_audit is append-only';
end
$$;
create trigger privacy_request_audit_append_only before update on privacy_request_audit
    for each row execute function privacy_request_audit_is_append_only();
