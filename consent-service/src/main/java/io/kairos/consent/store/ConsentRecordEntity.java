package io.kairos.consent.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.time.Instant;

/** A row of the append-only consent ledger (V1__consent_ledger.sql). */
@Entity
@Immutable
@Table(name = "consent_record")
public class ConsentRecordEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String workspace;

    @Column(name = "profile_id", nullable = false)
    public String profileId;

    @Column(nullable = false)
    public String purpose;

    @Column(nullable = false)
    public String channel;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public String source;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;
}
