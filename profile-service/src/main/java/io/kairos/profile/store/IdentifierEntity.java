package io.kairos.profile.store;

import io.kairos.profile.domain.Identifier;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** An edge of the identity graph: identifier -> profile, unique per workspace. */
@Entity
@Table(name = "profile_identifier")
@IdClass(IdentifierEntity.Key.class)
public class IdentifierEntity {

    @Id
    public String workspace;

    @Id
    @Column(name = "type")
    public String identifierType;

    @Id
    @Column(name = "value")
    public String identifierValue;

    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    static IdentifierEntity of(String workspace, Identifier identifier, UUID profileId, Instant now) {
        IdentifierEntity entity = new IdentifierEntity();
        entity.workspace = workspace;
        entity.identifierType = identifier.type();
        entity.identifierValue = identifier.value();
        entity.profileId = profileId;
        entity.createdAt = now;
        return entity;
    }

    Identifier identifier() {
        return new Identifier(identifierType, identifierValue);
    }

    public static class Key implements Serializable {
        public String workspace;
        public String identifierType;
        public String identifierValue;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(workspace, key.workspace)
                    && Objects.equals(identifierType, key.identifierType)
                    && Objects.equals(identifierValue, key.identifierValue);
        }

        @Override
        public int hashCode() {
            return Objects.hash(workspace, identifierType, identifierValue);
        }
    }
}
