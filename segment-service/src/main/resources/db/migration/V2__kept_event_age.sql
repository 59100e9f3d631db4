-- Retention deletes kept events by age (the workspace's history retention, from profile-service).
create index profile_event_age on profile_event (occurred_at);
