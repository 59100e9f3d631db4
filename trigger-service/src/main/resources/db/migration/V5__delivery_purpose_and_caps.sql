-- Frequency caps count what went out to a profile per channel (and purpose) within a window.
alter table delivery add column purpose text;
create index delivery_by_channel on delivery (workspace, profile_id, channel, fired_at);
