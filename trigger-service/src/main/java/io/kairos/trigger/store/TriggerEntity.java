package io.kairos.trigger.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "trigger_definition")
public class TriggerEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    public String workspace;

    public String name;

    public int version;

    @Column(name = "definition_json")
    public String definitionJson;

    @Column(name = "entry_kind")
    public String entryKind;

    @Column(name = "entry_key")
    public String entryKey;

    @Column(name = "created_at")
    public Instant createdAt;

    /** A {@link io.kairos.trigger.domain.TriggerStatus} wire name. */
    public String status;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;
}
