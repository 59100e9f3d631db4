package io.kairos.gateway.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** How Segment clients present a source's write key: as the HTTP Basic user name, password empty. */
final class WriteKeyCredentials {

    static final String CHALLENGE = "Basic realm=\"kairos\"";

    private WriteKeyCredentials() {
    }

    /** The write key of an Authorization header; null when there is none (or its user name is blank). */
    static String fromAuthorization(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
            throw ProblemException.unauthenticated("UNSUPPORTED_AUTHORIZATION",
                    "send the write key as the user name of HTTP Basic authorization", CHALLENGE);
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(value.substring(space + 1).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.unauthenticated("MALFORMED_AUTHORIZATION",
                    "the Basic credentials are not valid base64", CHALLENGE);
        }
        int colon = credentials.indexOf(':');
        String user = colon < 0 ? credentials : credentials.substring(0, colon);
        return user.isBlank() ? null : user;
    }
}
