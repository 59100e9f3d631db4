package io.kairos.profile.store;

import io.kairos.profile.domain.ObservedEvent;
import java.util.List;

/** Everything profile-service holds on one profile, for a data subject's export. */
public record ProfileExport(ProfileView profile, IdentityGraphView identityGraph, List<ObservedEvent> events) {

    public ProfileExport {
        events = List.copyOf(events);
    }
}
