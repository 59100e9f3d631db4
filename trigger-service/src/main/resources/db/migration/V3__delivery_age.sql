-- Retention deletes deliveries by age (the workspace's history retention, from profile-service).
create index delivery_age on delivery (fired_at);
