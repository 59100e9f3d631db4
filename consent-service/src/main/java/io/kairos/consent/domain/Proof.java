package io.kairos.consent.domain;

/** Evidence of how consent was given: the form it was given on, and the client's IP and user agent. Blank when unknown. */
public record Proof(String formId, String ip, String userAgent) {

    public static final Proof NONE = new Proof("", "", "");

    /** Validates the free-text fields as the admin API sends them; absent is blank. */
    public static Proof parse(String formId, String ip, String userAgent) {
        return new Proof(TextField.optional(formId, "proof/formId"), TextField.optional(ip, "proof/ip"),
                TextField.optional(userAgent, "proof/userAgent"));
    }
}
