package io.kairos.profile.domain;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Decides which profile an event belongs to from its identifiers and the identifiers the graph
 * already knows. The survivor of a conflict is the profile holding the event's userId (the
 * strongest, customer-asserted identifier), else the oldest profile, so repeated resolutions agree.
 */
public final class IdentityResolution {

    private static final Comparator<KnownIdentifier> OLDEST_PROFILE_FIRST = Comparator
            .comparing(KnownIdentifier::profileCreatedAt)
            .thenComparing(known -> known.profileId().toString());

    private IdentityResolution() {
    }

    /**
     * @param observed the event's normalised identifiers, not empty
     * @param known    the entries of the identity graph matching any of them
     */
    public static Resolution resolve(List<Identifier> observed, List<KnownIdentifier> known) {
        if (observed.isEmpty()) {
            throw new IllegalArgumentException("an event without identifiers cannot be resolved");
        }
        Set<Identifier> knownIdentifiers = known.stream().map(KnownIdentifier::identifier).collect(Collectors.toSet());
        List<Identifier> newIdentifiers = observed.stream().distinct().filter(id -> !knownIdentifiers.contains(id)).toList();

        Map<UUID, KnownIdentifier> byProfile = new LinkedHashMap<>();
        known.stream().sorted(OLDEST_PROFILE_FIRST).forEach(entry -> byProfile.putIfAbsent(entry.profileId(), entry));

        return switch (byProfile.size()) {
            case 0 -> new Resolution.NewProfile(newIdentifiers);
            case 1 -> new Resolution.ExistingProfile(byProfile.keySet().iterator().next(), newIdentifiers);
            default -> {
                UUID survivor = holderOfUserId(observed, known).orElse(byProfile.keySet().iterator().next());
                List<UUID> absorbed = byProfile.keySet().stream().filter(id -> !id.equals(survivor)).toList();
                yield new Resolution.MergeNeeded(survivor, absorbed, newIdentifiers);
            }
        };
    }

    private static Optional<UUID> holderOfUserId(List<Identifier> observed, List<KnownIdentifier> known) {
        return observed.stream()
                .filter(id -> Identifier.USER_ID.equals(id.type()))
                .flatMap(userId -> known.stream().filter(entry -> entry.identifier().equals(userId)))
                .map(KnownIdentifier::profileId)
                .findFirst();
    }
}
