package io.kairos.profile.store;

import io.kairos.profile.domain.Identifier;
import io.kairos.profile.domain.MatchedProfile;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

@ApplicationScoped
public class IdentifierRepository implements PanacheRepositoryBase<IdentifierEntity, IdentifierEntity.Key> {

    @Inject
    ProfileRepository profiles;

    /** The profiles holding any of the identifiers, each with all the identifiers it holds and its creation time. */
    public Uni<List<MatchedProfile>> findMatched(String workspace, List<Identifier> identifiers) {
        StringBuilder query = new StringBuilder("workspace = :workspace and (");
        Parameters parameters = Parameters.with("workspace", workspace);
        for (int i = 0; i < identifiers.size(); i++) {
            query.append(i == 0 ? "" : " or ")
                    .append("(identifierType = :type").append(i).append(" and identifierValue = :value").append(i).append(')');
            parameters.and("type" + i, identifiers.get(i).type()).and("value" + i, identifiers.get(i).value());
        }
        query.append(')');
        return list(query.toString(), parameters).chain(entries -> entries.isEmpty()
                ? Uni.createFrom().item(List.<MatchedProfile>of())
                : matchedProfiles(workspace, entries.stream().map(entry -> entry.profileId).distinct().toList()));
    }

    /** The profiles, each with all the identifiers it holds and its creation time; unknown ids left out. */
    public Uni<List<MatchedProfile>> matchedProfiles(String workspace, List<UUID> profileIds) {
        return profiles.list("workspace = ?1 and id in ?2", workspace, profileIds).chain(found ->
                    list("workspace = ?1 and profileId in ?2", workspace, profileIds).map(held -> {
                        Map<UUID, List<Identifier>> byProfile = held.stream().collect(Collectors.groupingBy(
                                entry -> entry.profileId, Collectors.mapping(IdentifierEntity::identifier, Collectors.toList())));
                        return found.stream()
                                .map(profile -> new MatchedProfile(profile.id, profile.createdAt,
                                        Set.copyOf(byProfile.getOrDefault(profile.id, List.of()))))
                                .toList();
                    }));
    }

    public Uni<List<Identifier>> ofProfile(String workspace, UUID profileId) {
        return list("workspace = ?1 and profileId = ?2", Sort.by("identifierType").and("identifierValue"), workspace, profileId)
                .map(entries -> entries.stream().map(IdentifierEntity::identifier).toList());
    }

    /** The profile holding the identifier, or null. */
    public Uni<UUID> holderOf(String workspace, Identifier identifier) {
        return find("workspace = ?1 and identifierType = ?2 and identifierValue = ?3", workspace, identifier.type(), identifier.value())
                .firstResult()
                .map(entry -> entry == null ? null : entry.profileId);
    }
}
