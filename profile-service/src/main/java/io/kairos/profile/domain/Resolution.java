package io.kairos.profile.domain;

import java.util.List;
import java.util.UUID;

/** Where an event's identifiers lead in the identity graph. */
public sealed interface Resolution {

    /** The identifiers the chosen profile does not hold yet and must be attached to it. */
    List<Identifier> newIdentifiers();

    /** The event's identifiers that are not attached, with the reason; the event is recorded all the same. */
    List<DroppedIdentifier> dropped();

    /** No identifier is known: a new profile holding all of them. */
    record NewProfile(List<Identifier> newIdentifiers, List<DroppedIdentifier> dropped) implements Resolution {
        public NewProfile {
            newIdentifiers = List.copyOf(newIdentifiers);
            dropped = List.copyOf(dropped);
        }
    }

    /** The known identifiers that count all belong to one profile. */
    record ExistingProfile(UUID profileId, List<Identifier> newIdentifiers, List<DroppedIdentifier> dropped)
            implements Resolution {
        public ExistingProfile {
            newIdentifiers = List.copyOf(newIdentifiers);
            dropped = List.copyOf(dropped);
        }
    }

    /** The event ties several profiles together: the absorbed ones are merged into the survivor. */
    record MergeNeeded(UUID survivorId, List<UUID> absorbedIds, List<Identifier> newIdentifiers,
                       List<DroppedIdentifier> dropped) implements Resolution {
        public MergeNeeded {
            absorbedIds = List.copyOf(absorbedIds);
            newIdentifiers = List.copyOf(newIdentifiers);
            dropped = List.copyOf(dropped);
        }
    }
}
