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

/** A profile id merged into a survivor: lookups by it answer the survivor (see V4 migration). */
@Entity
@Table(name = "profile_alias")
@IdClass(ProfileAliasEntity.Key.class)
public class ProfileAliasEntity {

    @Id
    public String workspace;

    @Id
    @Column(name = "merged_id")
    public UUID mergedId;

    @Column(name = "survivor_id", nullable = false)
    public UUID survivorId;

    @Column(name = "cause_message_id", nullable = false)
    public String causeMessageId;

    @Column(name = "merged_at", nullable = false)
    public Instant mergedAt;

    public static class Key implements Serializable {
        public String workspace;
        public UUID mergedId;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(workspace, key.workspace) && Objects.equals(mergedId, key.mergedId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(workspace, mergedId);
        }
    }
}
