package io.kairos.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.gateway.domain.AdmittedMessage;
import io.kairos.gateway.domain.IngestionSource;
import io.kairos.gateway.domain.InvalidInputException;
import io.kairos.gateway.domain.MessageAdmission;
import io.kairos.gateway.domain.MessageType;
import io.kairos.gateway.domain.Reception;
import io.kairos.gateway.store.WriteKeyDirectory;
import io.kairos.gateway.stream.RawEventPublisher;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Segment HTTP Tracking API. A request is answered 200 only once Kafka acknowledged
 * every message in it; a batch with one invalid message is refused whole.
 * The one-letter paths are the ones analytics.js posts to.
 */
@Path("/v1")
@Tag(name = "Ingestion", description = "Segment-compatible HTTP Tracking API")
@SecurityScheme(securitySchemeName = "writeKey", type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "The source's write key as user name, empty password (or writeKey in the body)")
@SecurityRequirement(name = "writeKey")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "200", description = "Every message is stored on the event log")
@APIResponse(responseCode = "400", description = "Invalid message; nothing of the request was stored",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "Missing, unknown or revoked write key",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The event log did not acknowledge in time; retry later",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class IngestionResource {

    private static final Map<String, Boolean> SUCCESS = Map.of("success", true);
    private static final String WRITE_KEY_CHALLENGE = "Basic realm=\"kairos\"";

    @Inject
    WriteKeyDirectory writeKeys;

    @Inject
    MessageAdmission admission;

    @Inject
    RawEventPublisher publisher;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    /** Messages keep their numbers exactly as sent, and a body is one JSON value. */
    private ObjectMapper messages;

    @PostConstruct
    void configure() {
        messages = json.copy()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @POST
    @Path("identify")
    @Operation(summary = "Who the user is, and their traits")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Map<String, Boolean>> identify(byte[] body, @Context HttpServerRequest request) {
        return ingest(MessageType.IDENTIFY, body, request);
    }

    @POST
    @Path("track")
    @Operation(summary = "An action the user performed")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Map<String, Boolean>> track(byte[] body, @Context HttpServerRequest request) {
        return ingest(MessageType.TRACK, body, request);
    }

    @POST
    @Path("page")
    @Operation(summary = "A web page the user viewed")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Map<String, Boolean>> page(byte[] body, @Context HttpServerRequest request) {
        return ingest(MessageType.PAGE, body, request);
    }

    @POST
    @Path("screen")
    @Operation(summary = "An app screen the user viewed")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Map<String, Boolean>> screen(byte[] body, @Context HttpServerRequest request) {
        return ingest(MessageType.SCREEN, body, request);
    }

    @POST
    @Path("group")
    @Operation(summary = "The user belongs to a group (account, company)")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Map<String, Boolean>> group(byte[] body, @Context HttpServerRequest request) {
        return ingest(MessageType.GROUP, body, request);
    }

    @POST
    @Path("alias")
    @Operation(summary = "previousId and userId are the same person")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Map<String, Boolean>> alias(byte[] body, @Context HttpServerRequest request) {
        return ingest(MessageType.ALIAS, body, request);
    }

    @POST
    @Path("batch")
    @Operation(summary = "Several messages at once: {\"batch\": [...]}",
            description = "One invalid message rejects the whole batch (400) and nothing is written. 200 means "
                    + "Kafka acknowledged every message. After a 503 some may have been written: resend the batch "
                    + "with the same messageIds and the duplicates are dropped downstream.")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Map<String, Boolean>> batch(byte[] body, @Context HttpServerRequest request) {
        return ingest(null, body, request);
    }

    @POST
    @Path("{abbreviation: [itpsgab]}")
    @Operation(hidden = true)
    public Uni<Map<String, Boolean>> abbreviated(@PathParam("abbreviation") String abbreviation, byte[] body,
                                                 @Context HttpServerRequest request) {
        MessageType type = switch (abbreviation) {
            case "i" -> MessageType.IDENTIFY;
            case "t" -> MessageType.TRACK;
            case "p" -> MessageType.PAGE;
            case "s" -> MessageType.SCREEN;
            case "g" -> MessageType.GROUP;
            case "a" -> MessageType.ALIAS;
            default -> null; // "b": batch
        };
        return ingest(type, body, request);
    }

    /** {@code type} null means a batch. */
    private Uni<Map<String, Boolean>> ingest(MessageType type, byte[] body, HttpServerRequest request) {
        Instant receivedAt = clock.instant();
        String clientIp = clientIp(request);
        boolean gpc = "1".equals(trimmed(request.getHeader("Sec-GPC")));
        // A key in the Authorization header is checked before the body is parsed.
        return Uni.createFrom().item(() -> writeKeyFromAuthorization(request.getHeader(HttpHeaders.AUTHORIZATION)))
                .chain(headerKey -> headerKey != null
                        ? authenticate(headerKey).map(source -> new Authenticated(source, decode(type, body)))
                        : Uni.createFrom().item(() -> decode(type, body)).chain(document ->
                                authenticate(writeKeyFromBody(document)).map(source -> new Authenticated(source, document))))
                .map(authenticated -> admit(type, authenticated, body.length,
                        new Reception(authenticated.source(), receivedAt, clientIp, gpc)))
                .chain(publisher::publish)
                .replaceWith(SUCCESS);
    }

    private record Authenticated(IngestionSource source, Object document) {
    }

    private List<AdmittedMessage> admit(MessageType type, Authenticated request, int bodyBytes, Reception reception) {
        if (type == null) {
            return admission.admitBatch(request.document(), bodyBytes, this::encodedSize, reception);
        }
        return List.of(admission.admit(type, request.document(), bodyBytes, reception));
    }

    private Object decode(MessageType type, byte[] body) {
        if (type == null) {
            admission.requireBatchSize(body.length);
        } else {
            admission.requireEventSize(body.length, "");
        }
        if (body.length == 0) {
            throw new InvalidInputException("MALFORMED_JSON", null, "the body is empty; send a JSON object");
        }
        try {
            return messages.readValue(body, Object.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("MALFORMED_JSON", null, "the body is not valid JSON: "
                    + e.getOriginalMessage() + " at " + e.getLocation().offsetDescription());
        } catch (IOException e) {
            throw new InvalidInputException("MALFORMED_JSON", null, "the body could not be read as JSON");
        }
    }

    private int encodedSize(Object message) {
        try {
            return messages.writeValueAsBytes(message).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a decoded JSON value always encodes again", e);
        }
    }

    private Uni<IngestionSource> authenticate(String writeKey) {
        return writeKeys.find(writeKey).map(source -> source.orElseThrow(() -> ProblemException.unauthenticated(
                "INVALID_WRITE_KEY", "the write key is unknown or revoked", WRITE_KEY_CHALLENGE)));
    }

    /** Segment clients send the write key as the Basic user name with an empty password. */
    private static String writeKeyFromAuthorization(String authorization) {
        String value = trimmed(authorization);
        if (value == null) {
            return null;
        }
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
            throw ProblemException.unauthenticated("UNSUPPORTED_AUTHORIZATION",
                    "send the write key as the user name of HTTP Basic authorization", WRITE_KEY_CHALLENGE);
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(value.substring(space + 1).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.unauthenticated("MALFORMED_AUTHORIZATION",
                    "the Basic credentials are not valid base64", WRITE_KEY_CHALLENGE);
        }
        int colon = credentials.indexOf(':');
        String user = colon < 0 ? credentials : credentials.substring(0, colon);
        if (user.isBlank()) {
            throw missingWriteKey();
        }
        return user;
    }

    private static String writeKeyFromBody(Object document) {
        if (!(document instanceof Map<?, ?> body)) {
            throw new InvalidInputException("NOT_AN_OBJECT", null, "a message must be a JSON object");
        }
        if (body.get("writeKey") instanceof String key && !key.isBlank()) {
            return key;
        }
        throw missingWriteKey();
    }

    private static ProblemException missingWriteKey() {
        return ProblemException.unauthenticated("WRITE_KEY_REQUIRED",
                "send the source's write key as the HTTP Basic user name (empty password) or as writeKey in the body",
                WRITE_KEY_CHALLENGE);
    }

    private static String clientIp(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null ? null : remote.hostAddress();
    }

    private static String trimmed(String header) {
        return header == null || header.isBlank() ? null : header.strip();
    }
}
