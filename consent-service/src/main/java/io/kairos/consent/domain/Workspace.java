package io.kairos.consent.domain;

/** A tenant, by its id. Everything consent-service keeps belongs to exactly one. */
public record Workspace(String id) {

    public static Workspace parse(String raw) {
        return new Workspace(TextField.required(raw, "workspace"));
    }
}
