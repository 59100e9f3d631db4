package io.kairos.profile.store;

import io.kairos.profile.domain.Identifier;
import io.kairos.profile.domain.IdentityGraph;
import io.kairos.profile.domain.IdentityRules;
import io.kairos.profile.domain.ObservedEvent;
import io.kairos.profile.domain.ProfileTraits;
import io.kairos.profile.domain.Resolution;
import io.kairos.profile.domain.TraitUpdate;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Records one event on its profile in a single transaction: identity resolution, the merge of
 * the profiles the event ties together, trait update, new identifiers, the identifiers the rules
 * dropped, and the history row. The history row's key makes the whole
 * recording idempotent per (workspace, messageId). An event carrying an identifier of an erased,
 * suppressed person is dropped: nothing of it is stored.
 */
@ApplicationScoped
public class ProfileRecorder {


    @Inject
    ProfileRepository profiles;

    @Inject
    IdentifierRepository identifiers;

    @Inject
    EventHistoryRepository history;

    @Inject
    ProfileMerger merger;

    @Inject
    ProfileAliasRepository aliases;

    @Inject
    SuppressionList suppressions;

    @Inject
    DroppedIdentifierRepository droppedIdentifiers;


    @Inject
    Clock clock;

    /** The event as recorded on its profile, or empty when it was dropped because it carries a suppressed identifier. */
    public Uni<Optional<RecordedEvent>> record(ObservedEvent event, IdentityRules rules) {
        IdentityGraph graph = new IdentityGraph(rules);
        return Panache.withTransaction(() -> history.findRecorded(event.workspace(), event.messageId())
                .chain(recorded -> recorded != null ? replay(recorded).map(Optional::of) : recordNew(event, graph)));
    }

    /** The merges the event caused are announced again too: a redelivery may follow a crash before they were. */
    private Uni<RecordedEvent> replay(EventEntity recorded) {
        return existing(recorded.workspace, recorded.profileId, recorded.messageId)
                .chain(profile -> aliases.causedBy(recorded.workspace, recorded.messageId).map(merged ->
                        new RecordedEvent(profile.id, recorded.toObservedEvent(), profile.traits, recorded.changedTraits,
                                merged.stream().filter(alias -> alias.survivorId.equals(profile.id))
                                        .map(alias -> alias.mergedId).toList(), true)));
    }

    private Uni<Optional<RecordedEvent>> recordNew(ObservedEvent event, IdentityGraph graph) {
        List<Identifier> observed = event.identifiers(graph.rules());
        // The graph is read before the suppression list: an erasure committing in between is then
        // either seen in the list, or its profile is found here and the write to it fails and is retried.
        return identifiers.findMatched(event.workspace(), observed).chain(matched -> suppressions
                .anySuppressed(event.workspace(), observed)
                .chain(suppressed -> suppressed
                        ? Uni.createFrom().item(Optional.<RecordedEvent>empty())
                        : resolve(event, graph.resolve(observed, matched)).map(Optional::of)));
    }

    private Uni<RecordedEvent> resolve(ObservedEvent event, Resolution resolution) {
        Instant now = clock.instant();
        Uni<ProfileEntity> target = switch (resolution) {
            case Resolution.NewProfile ignored -> Uni.createFrom().item(ProfileEntity.create(event.workspace(), now));
            case Resolution.ExistingProfile existing -> existing(event.workspace(), existing.profileId(), event.messageId());
            case Resolution.MergeNeeded merge -> existing(event.workspace(), merge.survivorId(), event.messageId())
                    .chain(survivor -> merger.merge(survivor, merge.absorbedIds(), event.messageId(), now));
        };
        List<UUID> mergedIds = resolution instanceof Resolution.MergeNeeded merge ? merge.absorbedIds() : List.of();
        return target.chain(profile -> {
            TraitUpdate update = ProfileTraits.apply(profile.state(), event);
            profile.apply(update.state(), now);
            // Persist order is flush order: the profile row precedes the rows referencing it.
            Uni<?> saved = resolution instanceof Resolution.NewProfile
                    ? profiles.persist(profile)
                    : Uni.createFrom().item(profile);
            return saved
                    .chain(() -> attach(event.workspace(), profile.id, resolution.newIdentifiers(), now))
                    .chain(() -> droppedIdentifiers.record(event, profile.id, resolution.dropped(), now))
                    .chain(() -> history.record(EventEntity.of(event, profile.id, update.changed(), now)))
                    .map(ignored -> new RecordedEvent(profile.id, event, update.traits(), update.changed(), mergedIds, false));
        });
    }

    /** A profile the graph or history just named; gone means an erasure committed meanwhile, and the retry resolves anew. */
    private Uni<ProfileEntity> existing(String workspace, UUID profileId, String messageId) {
        return profiles.findInWorkspace(workspace, profileId).onItem().ifNull().failWith(() -> new OptimisticLockException(
                "profile " + profileId + " was erased while event " + messageId + " was being recorded"));
    }

    private Uni<Void> attach(String workspace, UUID profileId, List<Identifier> newIdentifiers, Instant now) {
        if (newIdentifiers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return identifiers.persist(newIdentifiers.stream()
                .map(identifier -> IdentifierEntity.of(workspace, identifier, profileId, now)));
    }
}
