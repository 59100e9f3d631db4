package io.kairos.profile.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class RecordedMessageRepository implements PanacheRepositoryBase<RecordedMessageEntity, EventEntity.Key> {
}
