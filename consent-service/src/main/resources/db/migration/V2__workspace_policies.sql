-- Workspace policies (quiet hours, frequency caps, default time zone): one row per workspace that
-- changed them; a workspace without a row has the defaults. policies is always the complete
-- document in force, never a partial update.
create table workspace_policies (
    workspace  text        primary key,
    policies   jsonb       not null check (jsonb_typeof(policies) = 'object'),
    version    integer     not null check (version > 0),
    updated_at timestamptz not null,
    updated_by text        not null default ''
);

-- Who changed what, when: every update as sent and the policies it produced. Appended only.
create table workspace_policies_change (
    id         bigint generated always as identity primary key,
    workspace  text        not null,
    version    integer     not null,
    change     jsonb       not null,
    policies   jsonb       not null,
    updated_at timestamptz not null,
    updated_by text        not null default '',
    unique (workspace, version)
);

create function workspace_policies_change_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'workspace_policies_change is append-only';
end
$$;

create trigger workspace_policies_change_no_update before update on workspace_policies_change
    for each row execute function workspace_policies_change_is_append_only();
