package io.kairos.profile.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What is left of an erased profile: its id and what the deletion removed, no personal data. Also
 * the outbox of its ProfileDeleted announcement, pending while {@code publishedAt} is null.
 */
@Entity
@Table(name = "deleted_profile")
@IdClass(DeletedProfileEntity.Key.class)
public class DeletedProfileEntity {

    @Id
    public String workspace;

    @Id
    @Column(name = "profile_id")
    public UUID profileId;

    @Column(name = "deleted_at", nullable = false)
    public Instant deletedAt;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "identifiers_removed", nullable = false)
    public int identifiersRemoved;

    @Column(name = "events_removed", nullable = false)
    public long eventsRemoved;

    @Column(nullable = false)
    public boolean suppressed;

    @Column(name = "published_at")
    public Instant publishedAt;

    static DeletedProfileEntity of(ErasureRequest request, Instant deletedAt, int identifiersRemoved, long eventsRemoved) {
        DeletedProfileEntity tombstone = new DeletedProfileEntity();
        tombstone.workspace = request.workspace();
        tombstone.profileId = request.profileId();
        tombstone.deletedAt = deletedAt;
        tombstone.requestedBy = request.requestedBy();
        tombstone.requestId = request.requestId().orElse(null);
        tombstone.identifiersRemoved = identifiersRemoved;
        tombstone.eventsRemoved = eventsRemoved;
        tombstone.suppressed = request.suppress();
        return tombstone;
    }

    ErasureReceipt receipt() {
        return new ErasureReceipt(workspace, profileId, deletedAt, identifiersRemoved, eventsRemoved, suppressed);
    }

    public static class Key implements Serializable {
        public String workspace;
        public UUID profileId;

        public Key() {
        }

        public Key(String workspace, UUID profileId) {
            this.workspace = workspace;
            this.profileId = profileId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(workspace, key.workspace)
                    && Objects.equals(profileId, key.profileId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(workspace, profileId);
        }
    }
}
