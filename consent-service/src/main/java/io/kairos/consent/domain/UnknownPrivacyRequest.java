package io.kairos.consent.domain;

/** No privacy request of that id in the workspace. */
public final class UnknownPrivacyRequest extends RuntimeException {

    public UnknownPrivacyRequest(String workspace, String requestId) {
        super("no privacy request " + requestId + " in workspace " + workspace);
    }
}
