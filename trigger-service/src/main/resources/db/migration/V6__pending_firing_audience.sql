-- The audience segment whose exit cancels a waiting firing (cancelOnAudienceExit).
alter table pending_firing add column audience_segment text;
