package io.kairos.gateway.api;

import java.time.Duration;

/** Ends a request with a problem+json response. */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Duration retryAfter;
    private final String challenge;

    public ProblemException(Problem problem, Duration retryAfter, Throwable cause) {
        this(problem, retryAfter, null, cause);
    }

    private ProblemException(Problem problem, Duration retryAfter, String challenge, Throwable cause) {
        super(problem.reason() + ": " + problem.detail(), cause);
        this.problem = problem;
        this.retryAfter = retryAfter;
        this.challenge = challenge;
    }

    public ProblemException(int status, String reason, String detail, String field) {
        this(Problem.of(status, reason, detail, field), null, null);
    }

    /** A 401 telling the client how to authenticate ({@code WWW-Authenticate}). */
    public static ProblemException unauthenticated(String reason, String detail, String challenge) {
        return new ProblemException(Problem.of(401, reason, detail, null), null, challenge, null);
    }

    public Problem problem() {
        return problem;
    }

    /** Sent as Retry-After when the client should come back later; null otherwise. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Sent as WWW-Authenticate with a 401; null otherwise. */
    public String challenge() {
        return challenge;
    }
}
