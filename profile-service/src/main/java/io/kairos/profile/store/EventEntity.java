package io.kairos.profile.store;

import io.kairos.profile.domain.EventType;
import io.kairos.profile.domain.ObservedEvent;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One event in a profile's history; (workspace, messageId) is its idempotency key. */
@Entity
@Table(name = "profile_event")
@IdClass(EventEntity.Key.class)
public class EventEntity {

    @Id
    public String workspace;

    @Id
    @Column(name = "message_id")
    public String messageId;

    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    @Column(nullable = false)
    public String type;

    public String event;

    public String channel;

    @Column(name = "user_id")
    public String userId;

    @Column(name = "anonymous_id")
    public String anonymousId;

    @Column(name = "previous_id")
    public String previousId;

    @Column(name = "group_id")
    public String groupId;

    @Column(name = "source_id")
    public String sourceId;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "received_at")
    public Instant receivedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> payload;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "changed_traits", nullable = false)
    public Map<String, Object> changedTraits;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    static EventEntity of(ObservedEvent event, UUID profileId, Map<String, Object> changedTraits, Instant now) {
        EventEntity entity = new EventEntity();
        entity.workspace = event.workspace();
        entity.messageId = event.messageId();
        entity.profileId = profileId;
        entity.type = event.type().wireName();
        entity.event = event.event();
        entity.channel = event.channel();
        entity.userId = event.userId();
        entity.anonymousId = event.anonymousId();
        entity.previousId = event.previousId();
        entity.groupId = event.groupId();
        entity.sourceId = event.sourceId();
        entity.occurredAt = event.occurredAt();
        entity.receivedAt = event.receivedAt();
        entity.payload = new LinkedHashMap<>(event.payload());
        entity.changedTraits = new LinkedHashMap<>(changedTraits);
        entity.recordedAt = now;
        return entity;
    }

    ObservedEvent toObservedEvent() {
        return new ObservedEvent(workspace, messageId,
                EventType.parse(type).orElseThrow(() -> new IllegalStateException("stored event type " + type)),
                event, userId, anonymousId, previousId, groupId, sourceId, channel, occurredAt, receivedAt, payload);
    }

    public static class Key implements Serializable {
        public String workspace;
        public String messageId;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(workspace, key.workspace)
                    && Objects.equals(messageId, key.messageId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(workspace, messageId);
        }
    }
}
