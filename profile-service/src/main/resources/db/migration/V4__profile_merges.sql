-- When each trait got its value (event time, ISO-8601): a merge keeps each trait's latest value.
alter table profile add column trait_times jsonb not null default '{}';

-- Profiles merged into a survivor. The merged id stays an alias: lookups by it answer the
-- survivor. Always one hop: when a survivor is merged in turn, its aliases move on.
create table profile_alias (
    workspace         text        not null,
    merged_id         uuid        not null,
    survivor_id       uuid        not null references profile (id),
    cause_message_id  text        not null,
    merged_at         timestamptz not null,
    primary key (workspace, merged_id)
);
create index profile_alias_survivor_idx on profile_alias (workspace, survivor_id);
create index profile_alias_cause_idx on profile_alias (workspace, cause_message_id);

-- Merges are carried out now; the candidates recorded by earlier releases are merged by the next
-- event that ties them together.
drop table merge_candidate;
