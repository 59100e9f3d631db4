-- An export's data is removed once it has been kept for the export retention after completion.
alter table privacy_request_audit drop constraint privacy_request_audit_action_check;
alter table privacy_request_audit add constraint privacy_request_audit_action_check
    check (action in ('submitted', 'published', 'reported', 'completed', 'expired'));
