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

/** A profile that an event showed to be the same person as the survivor, waiting to be merged into it. */
@Entity
@Table(name = "merge_candidate")
@IdClass(MergeCandidateEntity.Key.class)
public class MergeCandidateEntity {

    @Id
    public String workspace;

    @Id
    @Column(name = "survivor_id")
    public UUID survivorId;

    @Id
    @Column(name = "absorbed_id")
    public UUID absorbedId;

    @Column(name = "cause_message_id", nullable = false)
    public String causeMessageId;

    @Column(name = "detected_at", nullable = false)
    public Instant detectedAt;

    public static class Key implements Serializable {
        public String workspace;
        public UUID survivorId;
        public UUID absorbedId;

        public Key() {
        }

        public Key(String workspace, UUID survivorId, UUID absorbedId) {
            this.workspace = workspace;
            this.survivorId = survivorId;
            this.absorbedId = absorbedId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(workspace, key.workspace)
                    && Objects.equals(survivorId, key.survivorId) && Objects.equals(absorbedId, key.absorbedId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(workspace, survivorId, absorbedId);
        }
    }
}
