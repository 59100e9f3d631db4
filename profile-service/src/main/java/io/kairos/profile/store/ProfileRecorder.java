package io.kairos.profile.store;

import io.kairos.profile.domain.Identifier;
import io.kairos.profile.domain.IdentityResolution;
import io.kairos.profile.domain.ObservedEvent;
import io.kairos.profile.domain.ProfileTraits;
import io.kairos.profile.domain.Resolution;
import io.kairos.profile.domain.TraitUpdate;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records one event on its profile in a single transaction: identity resolution, trait update,
 * new identifiers, merge candidates and the history row. The history row's key makes the whole
 * recording idempotent per (workspace, messageId).
 */
@ApplicationScoped
public class ProfileRecorder {

    private static final Logger LOG = Logger.getLogger(ProfileRecorder.class);

    @Inject
    ProfileRepository profiles;

    @Inject
    IdentifierRepository identifiers;

    @Inject
    EventHistoryRepository history;

    @Inject
    MergeCandidateRepository mergeCandidates;

    @Inject
    Clock clock;

    public Uni<RecordedEvent> record(ObservedEvent event) {
        return Panache.withTransaction(() -> history.findRecorded(event.workspace(), event.messageId())
                .chain(recorded -> recorded != null ? replay(recorded) : recordNew(event)));
    }

    private Uni<RecordedEvent> replay(EventEntity recorded) {
        return profiles.findInWorkspace(recorded.workspace, recorded.profileId)
                .map(profile -> new RecordedEvent(profile.id, recorded.toObservedEvent(), profile.traits,
                        recorded.changedTraits, true));
    }

    private Uni<RecordedEvent> recordNew(ObservedEvent event) {
        Instant now = clock.instant();
        List<Identifier> observed = event.identifiers();
        return identifiers.findKnown(event.workspace(), observed).chain(known -> {
            Resolution resolution = IdentityResolution.resolve(observed, known);
            Uni<ProfileEntity> target = switch (resolution) {
                case Resolution.NewProfile ignored -> Uni.createFrom().item(ProfileEntity.create(event.workspace(), now));
                case Resolution.ExistingProfile existing -> profiles.findInWorkspace(event.workspace(), existing.profileId());
                case Resolution.MergeNeeded merge -> profiles.findInWorkspace(event.workspace(), merge.survivorId());
            };
            return target.chain(profile -> {
                TraitUpdate update = ProfileTraits.apply(profile.state(), event);
                profile.apply(update, now);
                // Persist order is flush order: the profile row precedes the rows referencing it.
                Uni<?> saved = resolution instanceof Resolution.NewProfile
                        ? profiles.persist(profile)
                        : Uni.createFrom().item(profile);
                return saved
                        .chain(() -> attach(event.workspace(), profile.id, resolution.newIdentifiers(), now))
                        .chain(() -> recordMergeCandidates(event, resolution, now))
                        .chain(() -> history.persist(EventEntity.of(event, profile.id, update.changed(), now)))
                        .map(ignored -> new RecordedEvent(profile.id, event, update.traits(), update.changed(), false));
            });
        });
    }

    private Uni<Void> attach(String workspace, UUID profileId, List<Identifier> newIdentifiers, Instant now) {
        if (newIdentifiers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return identifiers.persist(newIdentifiers.stream()
                .map(identifier -> IdentifierEntity.of(workspace, identifier, profileId, now)));
    }

    private Uni<Void> recordMergeCandidates(ObservedEvent event, Resolution resolution, Instant now) {
        if (!(resolution instanceof Resolution.MergeNeeded merge)) {
            return Uni.createFrom().voidItem();
        }
        LOG.infof("event %s in workspace %s ties profile %s to %s; recorded as merge candidates",
                event.messageId(), event.workspace(), merge.survivorId(), merge.absorbedIds());
        return mergeCandidates.recordOnce(event.workspace(), merge.survivorId(), merge.absorbedIds(), event.messageId(), now);
    }
}
