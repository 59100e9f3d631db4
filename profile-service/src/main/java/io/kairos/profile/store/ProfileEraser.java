package io.kairos.profile.store;

import io.kairos.profile.domain.Identifier;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Erases a profile in one transaction: event history, merge candidates naming it (as survivor or
 * as absorbed), identity-graph entries and the profile row go; a tombstone with the counts stays,
 * and, when asked, the digests of its identifiers join the suppression list. The tombstone is also
 * the outbox of the ProfileDeleted announcement, so the announcement commits with the deletion.
 */
@ApplicationScoped
public class ProfileEraser {

    @Inject
    ProfileRepository profiles;

    @Inject
    IdentifierRepository identifiers;

    @Inject
    EventHistoryRepository history;

    @Inject
    ProfileAliasRepository aliases;

    @Inject
    DroppedIdentifierRepository droppedIdentifiers;

    @Inject
    SuppressionList suppressions;

    @Inject
    DeletedProfileRepository tombstones;

    @Inject
    Clock clock;

    /** The receipt of this or an earlier erasure of the profile; empty when the workspace never had it. */
    public Uni<Optional<ErasureReceipt>> erase(ErasureRequest request) {
        // The row lock makes a concurrent erasure wait and then find the tombstone, and makes an
        // event being recorded on the profile fail its version check (and be retried) instead of
        // writing to a profile that is going away.
        // A merged id stands for its survivor: erasing the person means erasing that profile.
        return Panache.withTransaction(() -> locked(request.workspace(), request.profileId())
                .chain(profile -> profile != null ? Uni.createFrom().item(profile) : aliases
                        .survivorOf(request.workspace(), request.profileId())
                        .chain(survivor -> survivor == null ? Uni.createFrom().nullItem() : locked(request.workspace(), survivor)))
                .chain(profile -> profile == null ? earlierErasure(request)
                        : eraseExisting(profile, request.forProfile(profile.id)).map(Optional::of)));
    }

    private Uni<ProfileEntity> locked(String workspace, UUID profileId) {
        return profiles.find("workspace = ?1 and id = ?2", workspace, profileId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    private Uni<Optional<ErasureReceipt>> earlierErasure(ErasureRequest request) {
        return tombstones.findById(new DeletedProfileEntity.Key(request.workspace(), request.profileId()))
                .map(tombstone -> Optional.ofNullable(tombstone).map(DeletedProfileEntity::receipt));
    }

    private Uni<ErasureReceipt> eraseExisting(ProfileEntity profile, ErasureRequest request) {
        String workspace = request.workspace();
        Instant now = clock.instant();
        return identifiers.ofProfile(workspace, profile.id).chain(held -> suppressIfAsked(request, held, now)
                .chain(() -> history.erase(workspace, profile.id))
                .call(() -> aliases.delete("workspace = ?1 and survivorId = ?2", workspace, profile.id))
                .call(() -> droppedIdentifiers.delete("workspace = ?1 and profileId = ?2", workspace, profile.id))
                .call(() -> identifiers.delete("workspace = ?1 and profileId = ?2", workspace, profile.id))
                .call(() -> profiles.delete(profile))
                .chain(eventsRemoved -> tombstones.persist(DeletedProfileEntity.of(request, now, held.size(), eventsRemoved)))
                .map(DeletedProfileEntity::receipt));
    }

    private Uni<Void> suppressIfAsked(ErasureRequest request, List<Identifier> held, Instant now) {
        return request.suppress() ? suppressions.suppress(request.workspace(), held, now) : Uni.createFrom().voidItem();
    }
}
