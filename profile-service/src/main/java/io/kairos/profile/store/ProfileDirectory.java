package io.kairos.profile.store;

import io.kairos.profile.domain.Identifier;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;

/** Read side of profiles: by id, by identifier, and their event history. Everything within one workspace. */
@ApplicationScoped
public class ProfileDirectory {

    @Inject
    ProfileRepository profiles;

    @Inject
    IdentifierRepository identifiers;

    @Inject
    EventHistoryRepository history;

    public Uni<Optional<ProfileView>> profile(String workspace, UUID profileId) {
        return Panache.withSession(() -> view(workspace, profileId));
    }

    public Uni<Optional<ProfileView>> lookup(String workspace, Identifier identifier) {
        return Panache.withSession(() -> identifiers.holderOf(workspace, identifier)
                .chain(profileId -> profileId == null ? Uni.createFrom().item(Optional.<ProfileView>empty()) : view(workspace, profileId)));
    }

    /** The profile's history page, or empty when the profile does not exist in the workspace. */
    public Uni<Optional<EventPage>> events(String workspace, UUID profileId, Optional<String> event,
            Optional<EventCursor> after, int pageSize) {
        return Panache.withSession(() -> profiles.findInWorkspace(workspace, profileId).chain(profile -> profile == null
                ? Uni.createFrom().item(Optional.<EventPage>empty())
                : history.page(workspace, profileId, event, after, pageSize).map(Optional::of)));
    }

    private Uni<Optional<ProfileView>> view(String workspace, UUID profileId) {
        return profiles.findInWorkspace(workspace, profileId).chain(profile -> profile == null
                ? Uni.createFrom().item(Optional.<ProfileView>empty())
                : identifiers.ofProfile(workspace, profileId).map(ids -> Optional.of(new ProfileView(
                        profile.workspace, profile.id, profile.traits, ids, profile.firstSeen, profile.lastSeen))));
    }
}
