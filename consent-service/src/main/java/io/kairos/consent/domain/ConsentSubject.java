package io.kairos.consent.domain;

/** Whose consent: a profile inside one workspace. Nothing crosses workspaces. */
public record ConsentSubject(String workspace, String profileId) {

    public static ConsentSubject parse(String workspace, String profileId) {
        return new ConsentSubject(TextField.required(workspace, "workspace"), TextField.required(profileId, "profileId"));
    }
}
