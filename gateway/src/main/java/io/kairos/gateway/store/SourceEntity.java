package io.kairos.gateway.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "sources")
public class SourceEntity extends PanacheEntityBase {

    @Id
    public String id;

    public String workspace;

    public String name;

    public String channel;

    @Column(name = "write_key_hash")
    public String writeKeyHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** The key before the last rotation, accepted until {@link #previousKeyExpiresAt}. */
    @Column(name = "previous_write_key_hash")
    public String previousWriteKeyHash;

    @Column(name = "previous_key_expires_at")
    public Instant previousKeyExpiresAt;

    @Column(name = "rotated_at")
    public Instant rotatedAt;
}
