package io.kairos.profile.store;

import io.kairos.profile.domain.Identifier;
import io.kairos.profile.domain.ObservedEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Read side of profiles: by id, by identifier, and their event history. Everything within one
 * workspace. The id of a profile merged into another answers with the survivor.
 */
@ApplicationScoped
public class ProfileDirectory {

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

    public Uni<Optional<ProfileView>> profile(String workspace, UUID profileId) {
        return Panache.withSession(() -> view(workspace, profileId));
    }

    public Uni<Optional<ProfileView>> lookup(String workspace, Identifier identifier) {
        return Panache.withSession(() -> identifiers.holderOf(workspace, identifier)
                .chain(profileId -> profileId == null ? Uni.createFrom().item(Optional.<ProfileView>empty()) : view(workspace, profileId)));
    }

    /** The profile's history page, or empty when the profile does not exist in the workspace. */
    public Uni<Optional<EventPage>> events(String workspace, UUID profileId, HistoryFilter filter,
            Optional<EventCursor> after, int pageSize) {
        return Panache.withSession(() -> current(workspace, profileId).chain(profile -> profile == null
                ? Uni.createFrom().item(Optional.<EventPage>empty())
                : history.page(workspace, profile.id, filter, after, pageSize).map(Optional::of)));
    }

    public Uni<Optional<IdentityGraphView>> identityGraph(String workspace, UUID profileId) {
        return Panache.withSession(() -> current(workspace, profileId).chain(profile -> profile == null
                ? Uni.createFrom().item(Optional.<IdentityGraphView>empty())
                : identifiers.list("workspace = ?1 and profileId = ?2", Sort.by("createdAt").and("identifierType").and("identifierValue"),
                                workspace, profile.id)
                        .chain(held -> aliases.mergedInto(workspace, profile.id)
                                .chain(merged -> droppedIdentifiers.ofProfile(workspace, profile.id)
                                        .map(dropped -> Optional.of(new IdentityGraphView(workspace, profile.id, held, merged, dropped)))))));
    }

    /** Pages of the whole history at a time when exporting: big enough for few queries, small enough for memory. */
    static final int EXPORT_PAGE = 1000;

    /** The profile, its identity graph and its whole event history; empty when the profile does not exist here. */
    public Uni<Optional<ProfileExport>> export(String workspace, UUID profileId) {
        return profile(workspace, profileId).chain(found -> found.isEmpty()
                ? Uni.createFrom().item(Optional.<ProfileExport>empty())
                : identityGraph(workspace, found.get().profileId()).chain(graph -> allEvents(workspace, found.get().profileId(),
                        Optional.empty(), new ArrayList<>()).map(events -> Optional.of(new ProfileExport(found.get(), graph.orElseThrow(), events)))));
    }

    private Uni<List<ObservedEvent>> allEvents(String workspace, UUID profileId, Optional<EventCursor> after, List<ObservedEvent> sofar) {
        return events(workspace, profileId, new HistoryFilter(Optional.empty(), Optional.empty(), Optional.empty()), after, EXPORT_PAGE)
                .chain(page -> {
                    if (page.isEmpty()) {
                        return Uni.createFrom().item(sofar);
                    }
                    sofar.addAll(page.get().events());
                    return page.get().next().isEmpty() ? Uni.createFrom().item(sofar)
                            : allEvents(workspace, profileId, page.get().next(), sofar);
                });
    }

    private Uni<Optional<ProfileView>> view(String workspace, UUID profileId) {
        return current(workspace, profileId).chain(profile -> profile == null
                ? Uni.createFrom().item(Optional.<ProfileView>empty())
                : identifiers.ofProfile(workspace, profile.id).map(ids -> Optional.of(new ProfileView(
                        profile.workspace, profile.id, profile.traits, ids, profile.firstSeen, profile.lastSeen))));
    }

    /** The profile, or the survivor it was merged into; null when neither exists here. */
    private Uni<ProfileEntity> current(String workspace, UUID profileId) {
        return profiles.findInWorkspace(workspace, profileId).chain(profile -> profile != null
                ? Uni.createFrom().item(profile)
                : aliases.survivorOf(workspace, profileId).chain(survivor -> survivor == null
                        ? Uni.createFrom().nullItem()
                        : profiles.findInWorkspace(workspace, survivor)));
    }
}
