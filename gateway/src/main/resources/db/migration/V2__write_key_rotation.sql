-- Rotating a write key may leave the previous one working for a grace period, so that
-- deployed clients can move to the new key without losing events.
ALTER TABLE sources
    ADD COLUMN previous_write_key_hash CHAR(64) UNIQUE,
    ADD COLUMN previous_key_expires_at TIMESTAMPTZ,
    ADD COLUMN rotated_at              TIMESTAMPTZ;
