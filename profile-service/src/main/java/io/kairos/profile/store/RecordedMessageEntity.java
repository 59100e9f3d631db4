package io.kairos.profile.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * The idempotency key of the event history, (workspace, messageId): the partitioned history
 * cannot hold it itself. profileId and occurredAt find the recorded event again.
 */
@Entity
@Table(name = "recorded_message")
// the same key as the event's
@IdClass(EventEntity.Key.class)
public class RecordedMessageEntity {

    @Id
    public String workspace;

    @Id
    @Column(name = "message_id")
    public String messageId;

    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    static RecordedMessageEntity of(EventEntity event) {
        RecordedMessageEntity entity = new RecordedMessageEntity();
        entity.workspace = event.workspace;
        entity.messageId = event.messageId;
        entity.profileId = event.profileId;
        entity.occurredAt = event.occurredAt;
        return entity;
    }
}
