-- The provider each workspace sends email, sms and push through when an action names no webhook.
-- settings_json holds the credentials; the API never returns them.
create table channel_provider (
    workspace     text        not null,
    channel       text        not null,
    settings_json text        not null,
    updated_at    timestamptz not null,
    primary key (workspace, channel)
);
