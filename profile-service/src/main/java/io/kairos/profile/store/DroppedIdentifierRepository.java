package io.kairos.profile.store;

import io.kairos.profile.domain.DroppedIdentifier;
import io.kairos.profile.domain.ObservedEvent;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

@ApplicationScoped
public class DroppedIdentifierRepository implements PanacheRepositoryBase<DroppedIdentifierEntity, DroppedIdentifierEntity.Key> {

    private static final Logger LOG = Logger.getLogger(DroppedIdentifierRepository.class);

    /** Runs in the event's transaction; the event is recorded once, so each drop is too. */
    public Uni<Void> record(ObservedEvent event, UUID profileId, List<DroppedIdentifier> dropped, Instant now) {
        if (dropped.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        log(event, profileId, dropped);
        return persist(dropped.stream().map(drop -> {
            DroppedIdentifierEntity entity = new DroppedIdentifierEntity();
            entity.workspace = event.workspace();
            entity.messageId = event.messageId();
            entity.identifierType = drop.identifier().type();
            entity.identifierValue = drop.identifier().value();
            entity.profileId = profileId;
            entity.reason = drop.reason();
            entity.detail = drop.detail();
            entity.droppedAt = now;
            return entity;
        }));
    }

    static void log(ObservedEvent event, UUID profileId, List<DroppedIdentifier> dropped) {
        if (!dropped.isEmpty()) {
            // Types and reasons only: the values are personal data.
            LOG.infof("event %s of workspace %s: identifiers not attached to profile %s: %s", event.messageId(),
                    event.workspace(), profileId, dropped.stream().map(d -> d.identifier().type() + " " + d.reason()).toList());
        }
    }

    public Uni<List<DroppedIdentifierEntity>> ofProfile(String workspace, UUID profileId) {
        return list("workspace = ?1 and profileId = ?2", Sort.by("droppedAt").and("messageId"), workspace, profileId);
    }
}
