package io.kairos.profile.domain;

import java.util.List;
import java.util.UUID;

/** Where an event's identifiers lead in the identity graph. */
public sealed interface Resolution {

    /** The identifiers the chosen profile does not hold yet and must be attached to it. */
    List<Identifier> newIdentifiers();

    /** No identifier is known: a new profile holding all of them. */
    record NewProfile(List<Identifier> newIdentifiers) implements Resolution {
        public NewProfile {
            newIdentifiers = List.copyOf(newIdentifiers);
        }
    }

    /** The known identifiers all belong to one profile. */
    record ExistingProfile(UUID profileId, List<Identifier> newIdentifiers) implements Resolution {
        public ExistingProfile {
            newIdentifiers = List.copyOf(newIdentifiers);
        }
    }

    /**
     * The event ties several profiles together. It is attached to the survivor; the others keep
     * their identifiers until they are merged into it.
     */
    record MergeNeeded(UUID survivorId, List<UUID> absorbedIds, List<Identifier> newIdentifiers) implements Resolution {
        public MergeNeeded {
            absorbedIds = List.copyOf(absorbedIds);
            newIdentifiers = List.copyOf(newIdentifiers);
        }
    }
}
