CREATE TABLE workspaces (
    id         VARCHAR(40)  PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{2,40}$'),
    name       VARCHAR(200) NOT NULL,
    timezone   VARCHAR(64)  NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL
);

-- Write keys are kept as their SHA-256 (hex) only; the key itself is shown once at creation.
CREATE TABLE sources (
    id             VARCHAR(36)  PRIMARY KEY,
    workspace      VARCHAR(40)  NOT NULL REFERENCES workspaces (id),
    name           VARCHAR(200) NOT NULL,
    channel        VARCHAR(20)  NOT NULL,
    write_key_hash CHAR(64)     NOT NULL UNIQUE,
    created_at     TIMESTAMPTZ  NOT NULL,
    revoked_at     TIMESTAMPTZ
);

CREATE INDEX sources_workspace ON sources (workspace, created_at);
