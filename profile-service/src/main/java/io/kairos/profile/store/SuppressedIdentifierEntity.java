package io.kairos.profile.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** An identifier of an erased person whose events are refused, kept only as its {@code SuppressionDigest}. */
@Entity
@Table(name = "suppressed_identifier")
@IdClass(SuppressedIdentifierEntity.Key.class)
public class SuppressedIdentifierEntity {

    @Id
    public String workspace;

    @Id
    public String digest;

    @Column(name = "suppressed_at", nullable = false)
    public Instant suppressedAt;

    public static class Key implements Serializable {
        public String workspace;
        public String digest;

        public Key() {
        }

        public Key(String workspace, String digest) {
            this.workspace = workspace;
            this.digest = digest;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(workspace, key.workspace) && Objects.equals(digest, key.digest);
        }

        @Override
        public int hashCode() {
            return Objects.hash(workspace, digest);
        }
    }
}
