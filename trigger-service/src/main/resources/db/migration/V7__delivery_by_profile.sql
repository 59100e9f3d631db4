-- A profile's deliveries of every trigger, newest first (ListDeliveries without a trigger).
create index delivery_of_profile on delivery (workspace, profile_id, fired_at desc, firing_id desc);
