package io.kairos.profile.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Resolves a run of events in memory, one after the other, against one snapshot of the identity
 * graph read for the whole run: each event sees the profiles and identifiers the run's earlier
 * events created or changed, exactly as if they had been recorded one by one. The store then
 * writes the whole run with a few set-based statements.
 * <p>
 * The run stops before the first event the snapshot cannot settle: one that ties several
 * profiles together (a merge moves history and state, which the store does on its own), or whose
 * messageId is already recorded (replayed from the store). The events from there on are left for
 * the next run.
 */
public final class ResolutionRun {

    /** An identifier in its workspace: the identity graph's key. */
    public record WorkspaceIdentifier(String workspace, Identifier identifier) {
    }

    /** An event's idempotency key. */
    public record MessageKey(String workspace, String messageId) {
        public static MessageKey of(ObservedEvent event) {
            return new MessageKey(event.workspace(), event.messageId());
        }
    }

    /** A stored profile as the snapshot saw it; version is what a write must still find. */
    public record KnownProfile(UUID id, String workspace, Instant createdAt, long version, ProfileState state,
            Set<Identifier> identifiers) {
        public KnownProfile {
            identifiers = Set.copyOf(identifiers);
        }
    }

    /**
     * What the store holds for a run's events: the holders of their identifiers, those holders
     * with all their identifiers, the digests of suppressed identifiers among them, and the
     * messageIds already recorded.
     */
    public record Snapshot(Map<WorkspaceIdentifier, UUID> holders, Map<UUID, KnownProfile> profiles,
            Set<String> suppressedDigests, Set<MessageKey> recorded) {
    }

    /** What the run decided for one event. */
    public sealed interface Step {
        ObservedEvent event();
    }

    /** Recorded on profileId: the traits after it, the identifiers it attached and those it dropped. */
    public record Recorded(ObservedEvent event, UUID profileId, TraitUpdate update, List<Identifier> newIdentifiers,
            List<DroppedIdentifier> dropped) implements Step {
    }

    /** Carries an identifier of an erased person who asked to be forgotten: nothing of it is stored. */
    public record Suppressed(ObservedEvent event) implements Step {
    }

    /** A profile the run created or changed: its state after the run's last event on it. */
    public record ProfileChange(UUID id, String workspace, boolean created, long version, Instant createdAt,
            ProfileState state) {
    }

    /**
     * @param steps    one per settled event, in the events' order
     * @param profiles every profile the run created or changed
     */
    public record Outcome(List<Step> steps, List<ProfileChange> profiles) {

        /** How many events, from the first, the run settled; the rest are for the next run. */
        public int settled() {
            return steps.size();
        }
    }

    private final Function<String, IdentityRules> rulesOf;
    private final Supplier<UUID> newProfileIds;
    private final Instant now;
    // Normalising (phones through libphonenumber) is the costly part of reading identifiers; the
    // store reads the snapshot for the same events, so each event's are worked out once.
    private final Map<ObservedEvent, List<Identifier>> identifiers = new IdentityHashMap<>();

    /**
     * @param rulesOf       each workspace's rules (the same the identifiers were read with)
     * @param newProfileIds ids for the profiles the run creates
     * @param now           the creation time of those profiles
     */
    public ResolutionRun(Function<String, IdentityRules> rulesOf, Supplier<UUID> newProfileIds, Instant now) {
        this.rulesOf = rulesOf;
        this.newProfileIds = newProfileIds;
        this.now = now;
    }

    /** The event's identifiers under its workspace's rules, as the run resolves them. */
    public List<Identifier> identifiers(ObservedEvent event) {
        return identifiers.computeIfAbsent(event, observed -> observed.identifiers(rulesOf.apply(observed.workspace())));
    }

    /** @param events each with at least one usable identifier under its workspace's rules */
    public Outcome resolve(List<ObservedEvent> events, Snapshot snapshot) {
        Map<WorkspaceIdentifier, UUID> holders = new HashMap<>(snapshot.holders());
        Map<UUID, Working> profiles = new HashMap<>();
        snapshot.profiles().values().forEach(known -> profiles.put(known.id(), new Working(known)));
        Set<MessageKey> recorded = new HashSet<>(snapshot.recorded());
        Map<UUID, Working> changed = new LinkedHashMap<>();
        List<Step> steps = new ArrayList<>(events.size());

        for (ObservedEvent event : events) {
            if (recorded.contains(MessageKey.of(event))) {
                break;
            }
            IdentityRules rules = rulesOf.apply(event.workspace());
            List<Identifier> observed = identifiers(event);
            if (observed.stream().anyMatch(identifier ->
                    snapshot.suppressedDigests().contains(SuppressionDigest.of(event.workspace(), identifier)))) {
                steps.add(new Suppressed(event));
                continue;
            }
            Set<UUID> holderIds = new LinkedHashSet<>();
            for (Identifier identifier : observed) {
                UUID holder = holders.get(new WorkspaceIdentifier(event.workspace(), identifier));
                if (holder != null) {
                    holderIds.add(holder);
                }
            }
            List<MatchedProfile> matched = holderIds.stream().map(id -> profiles.get(id).matched()).toList();
            Resolution resolution = new IdentityGraph(rules).resolve(observed, matched);
            Working target = switch (resolution) {
                case Resolution.MergeNeeded ignored -> null;
                case Resolution.ExistingProfile existing -> profiles.get(existing.profileId());
                case Resolution.NewProfile ignored -> {
                    Working created = new Working(newProfileIds.get(), event.workspace(), now);
                    profiles.put(created.id, created);
                    yield created;
                }
            };
            if (target == null) {
                break;
            }
            TraitUpdate update = ProfileTraits.apply(target.state, event);
            target.state = update.state();
            for (Identifier identifier : resolution.newIdentifiers()) {
                target.identifiers.add(identifier);
                holders.put(new WorkspaceIdentifier(event.workspace(), identifier), target.id);
            }
            changed.put(target.id, target);
            recorded.add(MessageKey.of(event));
            steps.add(new Recorded(event, target.id, update, resolution.newIdentifiers(), resolution.dropped()));
        }
        return new Outcome(List.copyOf(steps), changed.values().stream().map(Working::change).toList());
    }

    /** A profile as the run goes: the snapshot's, then changed by each event in turn. */
    private static final class Working {
        final UUID id;
        final String workspace;
        final Instant createdAt;
        final boolean created;
        final long version;
        final Set<Identifier> identifiers;
        ProfileState state;

        Working(KnownProfile known) {
            this.id = known.id();
            this.workspace = known.workspace();
            this.createdAt = known.createdAt();
            this.created = false;
            this.version = known.version();
            this.identifiers = new LinkedHashSet<>(known.identifiers());
            this.state = known.state();
        }

        Working(UUID id, String workspace, Instant createdAt) {
            this.id = Objects.requireNonNull(id, "id");
            this.workspace = workspace;
            this.createdAt = createdAt;
            this.created = true;
            this.version = 0;
            this.identifiers = new LinkedHashSet<>();
            this.state = ProfileState.unseen();
        }

        MatchedProfile matched() {
            return new MatchedProfile(id, createdAt, identifiers);
        }

        ProfileChange change() {
            return new ProfileChange(id, workspace, created, version, createdAt, state);
        }
    }
}
