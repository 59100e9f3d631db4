package io.kairos.profile.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Decides where an event's identifiers lead, under a workspace's {@link IdentityRules}.
 * The identifiers are taken strongest first (the rules' priority). A known one brings its
 * profile into the event's group, a new one is added to it; either only if the group then stays
 * within the limits, otherwise it is dropped from this event with the reason. So an event with
 * userId u2 on a device whose anonymousId belongs to u1's profile makes (or finds) u2's profile
 * and leaves u1's alone: two userIds never merge.
 * <p>
 * The result: no profile in the group is a new profile; one is that profile; several are merged
 * into the oldest (then smallest id), so the answer depends only on the graph and the event's
 * identifiers, never on the order either is listed in.
 */
public final class IdentityGraph {

    private final IdentityRules rules;

    public IdentityGraph(IdentityRules rules) {
        this.rules = rules;
    }

    public IdentityRules rules() {
        return rules;
    }

    /**
     * @param observed the event's identifiers, normalised and without blocked values; not empty
     * @param matched  every profile holding one of them, each with all its identifiers
     */
    public Resolution resolve(List<Identifier> observed, List<MatchedProfile> matched) {
        if (observed.isEmpty()) {
            throw new IllegalArgumentException("an event without identifiers cannot be resolved");
        }
        List<Identifier> strongestFirst = new ArrayList<>(new LinkedHashSet<>(observed));
        strongestFirst.sort(byStrength());

        Map<Identifier, MatchedProfile> holders = new HashMap<>();
        matched.forEach(profile -> profile.identifiers().forEach(identifier -> holders.put(identifier, profile)));

        // Strongest identifier first: each one either joins what the stronger ones already decided
        // (its profile merged in, or itself added) or is dropped because it would break a limit.
        List<MatchedProfile> group = new ArrayList<>();
        Set<Identifier> merged = new HashSet<>();
        List<Identifier> added = new ArrayList<>();
        List<DroppedIdentifier> dropped = new ArrayList<>();
        for (Identifier identifier : strongestFirst) {
            MatchedProfile holder = holders.get(identifier);
            if (holder == null) {
                Optional<String> broken = brokenLimit(merged, Set.of(identifier));
                if (broken.isPresent()) {
                    dropped.add(new DroppedIdentifier(identifier, DroppedIdentifier.LIMIT_REACHED,
                            "the profile cannot take it: " + broken.get()));
                } else {
                    merged.add(identifier);
                    added.add(identifier);
                }
            } else if (!group.contains(holder)) {
                Optional<String> broken = brokenLimit(merged, holder.identifiers());
                if (broken.isPresent()) {
                    dropped.add(new DroppedIdentifier(identifier, DroppedIdentifier.CONFLICTING_PROFILE,
                            "held by profile %s, which cannot join this event's profile: %s".formatted(
                                    holder.profileId(), broken.get())));
                } else {
                    group.add(holder);
                    merged.addAll(holder.identifiers());
                }
            }
        }

        if (group.isEmpty()) {
            return new Resolution.NewProfile(added, dropped);
        }
        MatchedProfile survivor = survivorOf(group);
        if (group.size() == 1) {
            return new Resolution.ExistingProfile(survivor.profileId(), added, dropped);
        }
        List<UUID> absorbed = group.stream().map(MatchedProfile::profileId)
                .filter(id -> !id.equals(survivor.profileId())).sorted().toList();
        return new Resolution.MergeNeeded(survivor.profileId(), absorbed, added, dropped);
    }

    /** The profile that survives merging these: the oldest, then the smallest id. */
    public static MatchedProfile survivorOf(List<MatchedProfile> profiles) {
        return profiles.stream()
                .min(Comparator.comparing(MatchedProfile::createdAt).thenComparing(MatchedProfile::profileId))
                .orElseThrow(() -> new IllegalArgumentException("no profile to merge"));
    }

    /** The limit that merging these profiles would break, described (a manual merge); empty when none. */
    public Optional<String> limitBrokenByMerging(List<MatchedProfile> profiles) {
        Set<Identifier> all = new HashSet<>();
        profiles.forEach(profile -> all.addAll(profile.identifiers()));
        return brokenLimit(Set.of(), all);
    }

    /** The limit that holding {@code more} on top of {@code held} would break, described; empty when none. */
    private Optional<String> brokenLimit(Set<Identifier> held, Set<Identifier> more) {
        Map<String, Integer> counts = new HashMap<>();
        held.forEach(identifier -> counts.merge(identifier.type(), 1, Integer::sum));
        more.forEach(identifier -> counts.merge(identifier.type(), 1, Integer::sum));
        return counts.entrySet().stream()
                .filter(count -> count.getValue() > rules.limit(count.getKey()))
                .min(Comparator.comparingInt((Map.Entry<String, Integer> count) -> rules.rank(count.getKey()))
                        .thenComparing(Map.Entry::getKey))
                .map(count -> "together they would hold %d %s values, the limit is %d".formatted(
                        count.getValue(), count.getKey(), rules.limit(count.getKey())));
    }

    private Comparator<Identifier> byStrength() {
        return Comparator.comparingInt((Identifier identifier) -> rules.rank(identifier.type()))
                .thenComparing(Identifier::type)
                .thenComparing(Identifier::value);
    }
}
