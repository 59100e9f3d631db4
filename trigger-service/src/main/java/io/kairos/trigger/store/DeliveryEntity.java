package io.kairos.trigger.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A delivery-log row, read by the API. Rows are written by {@link DeliveryLog#record}. */
@Entity
@Table(name = "delivery")
public class DeliveryEntity extends PanacheEntityBase {

    @Id
    @Column(name = "firing_id")
    public UUID firingId;

    public String workspace;

    @Column(name = "trigger_id")
    public UUID triggerId;

    @Column(name = "profile_id")
    public String profileId;

    public String channel;

    @Column(name = "cause_id")
    public String causeId;

    public String outcome;

    public String reason;

    public int attempts;

    @Column(name = "response_status")
    public Integer responseStatus;

    @Column(name = "fired_at")
    public Instant firedAt;

    @Column(name = "recorded_at")
    public Instant recordedAt;
}
