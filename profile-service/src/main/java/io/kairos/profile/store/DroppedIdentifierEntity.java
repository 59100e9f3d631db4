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

/** An identifier an event carried that resolution left out, with the reason (see V3 migration). */
@Entity
@Table(name = "dropped_identifier")
@IdClass(DroppedIdentifierEntity.Key.class)
public class DroppedIdentifierEntity {

    @Id
    public String workspace;

    @Id
    @Column(name = "message_id")
    public String messageId;

    @Id
    @Column(name = "type")
    public String identifierType;

    @Id
    @Column(name = "value")
    public String identifierValue;

    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    @Column(nullable = false)
    public String reason;

    @Column(nullable = false)
    public String detail;

    @Column(name = "dropped_at", nullable = false)
    public Instant droppedAt;

    public static class Key implements Serializable {
        public String workspace;
        public String messageId;
        public String identifierType;
        public String identifierValue;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(workspace, key.workspace)
                    && Objects.equals(messageId, key.messageId) && Objects.equals(identifierType, key.identifierType)
                    && Objects.equals(identifierValue, key.identifierValue);
        }

        @Override
        public int hashCode() {
            return Objects.hash(workspace, messageId, identifierType, identifierValue);
        }
    }
}
