package io.kairos.gateway.api;

import jakarta.enterprise.context.RequestScoped;

import java.util.Optional;

/** The visitor a {@link VisitorEndpoint} request is about, as {@link VisitorIdentification} found it. */
@RequestScoped
public class IdentifiedVisitor {

    private String workspace;
    private String profileId;

    void identified(String workspace, Optional<String> profileId) {
        this.workspace = workspace;
        this.profileId = profileId.orElse(null);
    }

    /** The workspace of the source whose write key the request presented. */
    public String workspace() {
        return workspace;
    }

    /** The visitor's profile; empty while Kairos does not know the visitor yet. */
    public Optional<String> profileId() {
        return Optional.ofNullable(profileId);
    }
}
