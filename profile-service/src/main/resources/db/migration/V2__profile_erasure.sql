-- Right to erasure. A deleted profile leaves only this tombstone: its id (random, no personal data),
-- what the deletion removed and who asked. It answers a repeated delete with the first result, and
-- it is the outbox of the ProfileDeleted announcement: written in the deletion's transaction,
-- published_at set once Kafka acknowledged it, so a broker outage or crash after the commit only
-- delays the announcement.
create table deleted_profile (
    workspace            text        not null,
    profile_id           uuid        not null,
    deleted_at           timestamptz not null,
    requested_by         text        not null,
    request_id           text,
    identifiers_removed  integer     not null,
    events_removed       bigint      not null,
    suppressed           boolean     not null,
    published_at         timestamptz,
    primary key (workspace, profile_id)
);
create index deleted_profile_unpublished_idx on deleted_profile (deleted_at) where published_at is null;

-- Identifiers of erased people who must not come back: only SHA-256 digests of
-- (workspace, type, normalised value), so the list itself holds no identifier in the clear.
create table suppressed_identifier (
    workspace      text        not null,
    digest         text        not null,
    suppressed_at  timestamptz not null,
    primary key (workspace, digest)
);
