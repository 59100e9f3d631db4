package io.kairos.gateway.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "workspaces")
public class WorkspaceEntity extends PanacheEntityBase {

    @Id
    public String id;

    public String name;

    public String timezone;

    @Column(name = "created_at")
    public Instant createdAt;
}
