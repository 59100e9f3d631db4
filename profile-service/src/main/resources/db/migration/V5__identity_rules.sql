-- A workspace's own identity rules; a workspace without a row resolves with the defaults.
-- rules: {"limits": {"userId": 1, "email": 5}, "priority": ["userId", "email", "*", "anonymousId"],
--         "blockedValues": ["", "null", "unknown"]}
create table identity_rules (
    workspace   text        primary key,
    rules       jsonb       not null,
    version     integer     not null,
    updated_at  timestamptz not null,
    updated_by  text        not null
);
