package io.kairos.segment.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A segment definition as stored: the validated definition JSON plus identity and version. */
@Entity
@Table(name = "segment")
public class SegmentEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String workspace;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public int version;

    @Column(name = "definition_json", nullable = false)
    public String definitionJson;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
