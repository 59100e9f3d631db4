package io.kairos.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.kairos.gateway.config.GatewayConfig;
import io.kairos.gateway.domain.InvalidInputException;
import io.kairos.gateway.stream.EventLogUnavailableException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the gateway's HTTP API is answered as application/problem+json. */
public class ProblemResponses {

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);

    @Inject
    GatewayConfig config;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        if (e.problem().status() == 503) {
            // Expected while a dependency is down: one line, no stack trace.
            LOG.warn(e.getMessage());
        } else if (e.problem().status() >= 500) {
            LOG.warn(e.getMessage(), e.getCause());
        }
        Response.ResponseBuilder response = respond(e.problem());
        if (e.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Math.max(1, (e.retryAfter().toMillis() + 999) / 1000));
        }
        if (e.challenge() != null) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, e.challenge());
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e) {
        return respond(Problem.of(400, e.reason(), e.getMessage(), e.field())).build();
    }

    @ServerExceptionMapper
    public Response eventLogUnavailable(EventLogUnavailableException e) {
        return problem(new ProblemException(Problem.of(503, "EVENT_LOG_UNAVAILABLE",
                e.getMessage() + "; nothing of this request is guaranteed to be stored, send it again",
                null), config.retryAfter(), e));
    }

    // MismatchedInputException named too: Quarkus maps it itself otherwise, as a more specific type.
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response malformedJson(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return respond(Problem.of(400, "INVALID_FIELD_TYPE", mapping.getOriginalMessage(), pointer(mapping)))
                    .build();
        }
        return respond(Problem.of(400, "MALFORMED_JSON", "the body is not valid JSON: " + e.getOriginalMessage(),
                null)).build();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated() {
        return respond(Problem.of(401, "UNAUTHENTICATED",
                "a valid bearer token of the Kairos realm is required", null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "ROLE_NOT_ALLOWED", "your roles do not allow this", null)).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // The JSON body reader reports syntax errors as a bare 400 with the parser's exception as cause.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return malformedJson(json);
            }
        }
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String reason = known != null ? known.name() : "HTTP_" + status;
        return respond(Problem.of(status, reason, e.getMessage(), null)).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected failure", e);
        return respond(Problem.of(500, "INTERNAL_ERROR", "the gateway failed; this is a bug", null)).build();
    }

    private static Response.ResponseBuilder respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    private static String pointer(JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference step : e.getPath()) {
            pointer.append('/');
            if (step.getFieldName() != null) {
                pointer.append(step.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else {
                pointer.append(step.getIndex());
            }
        }
        return pointer.toString();
    }
}
