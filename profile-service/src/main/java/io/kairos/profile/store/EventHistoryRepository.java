package io.kairos.profile.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class EventHistoryRepository implements PanacheRepositoryBase<EventEntity, EventEntity.Key> {

    @Inject
    RecordedMessageRepository recordedMessages;

    /** The event already recorded under this messageId, or null. */
    public Uni<EventEntity> findRecorded(String workspace, String messageId) {
        EventEntity.Key key = new EventEntity.Key();
        key.workspace = workspace;
        key.messageId = messageId;
        return recordedMessages.findById(key).chain(recorded -> recorded == null
                ? Uni.createFrom().nullItem()
                // the key of the history index, so that only the event's month is searched
                : find("workspace = ?1 and profileId = ?2 and occurredAt = ?3 and messageId = ?4",
                        workspace, recorded.profileId, recorded.occurredAt, messageId).firstResult());
    }

    /** The event and its idempotency key; the key's insert fails when the messageId was recorded meanwhile. */
    public Uni<Void> record(EventEntity event) {
        return recordedMessages.persist(RecordedMessageEntity.of(event)).chain(() -> persist(event)).replaceWithVoid();
    }

    /** The history of the absorbed profiles now belongs to the survivor. */
    public Uni<Void> moveTo(UUID survivorId, String workspace, List<UUID> absorbedIds) {
        return update("profileId = ?1 where workspace = ?2 and profileId in ?3", survivorId, workspace, absorbedIds)
                .chain(() -> recordedMessages.update("profileId = ?1 where workspace = ?2 and profileId in ?3",
                        survivorId, workspace, absorbedIds))
                .replaceWithVoid();
    }

    /** The profile's events and their keys; the number of events removed. */
    public Uni<Long> erase(String workspace, UUID profileId) {
        return recordedMessages.delete("workspace = ?1 and profileId = ?2", workspace, profileId)
                .chain(() -> delete("workspace = ?1 and profileId = ?2", workspace, profileId));
    }

    /**
     * Newest first by event time, messageId breaking ties, so a cursor names an exact position
     * even when events share a timestamp.
     */
    public Uni<EventPage> page(String workspace, UUID profileId, HistoryFilter filter, Optional<EventCursor> after, int pageSize) {
        StringBuilder query = new StringBuilder("workspace = :workspace and profileId = :profileId");
        Parameters parameters = Parameters.with("workspace", workspace).and("profileId", profileId);
        filter.event().ifPresent(name -> {
            query.append(" and event = :event");
            parameters.and("event", name);
        });
        filter.from().ifPresent(from -> {
            query.append(" and occurredAt >= :from");
            parameters.and("from", from);
        });
        filter.to().ifPresent(to -> {
            query.append(" and occurredAt < :to");
            parameters.and("to", to);
        });
        after.ifPresent(cursor -> {
            query.append(" and (occurredAt < :at or (occurredAt = :at and messageId < :messageId))");
            parameters.and("at", cursor.occurredAt()).and("messageId", cursor.messageId());
        });
        return find(query.toString(), Sort.descending("occurredAt", "messageId"), parameters)
                // range is inclusive: one row more than the page tells whether another page follows
                .range(0, pageSize)
                .list()
                .map(rows -> toPage(rows, pageSize));
    }

    private static EventPage toPage(List<EventEntity> rows, int pageSize) {
        List<EventEntity> shown = rows.size() > pageSize ? rows.subList(0, pageSize) : rows;
        Optional<EventCursor> next = rows.size() > shown.size()
                ? Optional.of(new EventCursor(shown.getLast().occurredAt, shown.getLast().messageId))
                : Optional.empty();
        return new EventPage(shown.stream().map(EventEntity::toObservedEvent).toList(), next);
    }
}
