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
import io.kairos.gateway.store.IngestionRateLimiter;
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
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
@APIResponse(responseCode = "429", description = "The source is over its rate limit; retry after Retry-After seconds",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The event log did not acknowledge in time; retry later",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class IngestionResource {

    private static final Map<String, Boolean> SUCCESS = Map.of("success", true);
    private static final String WRITE_KEY_CHALLENGE = WriteKeyCredentials.CHALLENGE;

    @Inject
    WriteKeyDirectory writeKeys;

    @Inject
    MessageAdmission admission;

    @Inject
    RawEventPublisher publisher;

    @Inject
    IngestionRateLimiter rateLimiter;

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
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "identify", value = "{\"userId\": \"u-42\", \"traits\": {\"email\": \"jane@example.com\", \"plan\": \"pro\"}, \"context\": {\"channel\": \"web\", \"timezone\": \"America/New_York\", \"locale\": \"en-US\"}}")))
    public Uni<Map<String, Boolean>> identify(byte[] body, @Context HttpServerRequest request) {
        return ingest(MessageType.IDENTIFY, body, request);
    }

    @POST
    @Path("track")
    @Operation(summary = "An action the user performed")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "track", value = "{\"userId\": \"u-42\", \"event\": \"Order Completed\", \"properties\": {\"orderId\": \"o-9\", \"revenue\": 129.99, \"currency\": \"USD\"}, \"context\": {\"channel\": \"mobile\", \"campaign\": {\"source\": \"instagram\", \"medium\": \"social\"}}, \"timestamp\": \"2026-11-23T09:15:00Z\"}")))
    public Uni<Map<String, Boolean>> track(byte[] body, @Context HttpServerRequest request) {
        return ingest(MessageType.TRACK, body, request);
    }

    @POST
    @Path("page")
    @Operation(summary = "A web page the user viewed")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "page", value = "{\"anonymousId\": \"a-7f3\", \"name\": \"Pricing\", \"properties\": {\"path\": \"/pricing\", \"referrer\": \"https://www.instagram.com/\"}}")))
    public Uni<Map<String, Boolean>> page(byte[] body, @Context HttpServerRequest request) {
        return ingest(MessageType.PAGE, body, request);
    }

    @POST
    @Path("screen")
    @Operation(summary = "An app screen the user viewed")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "screen", value = "{\"userId\": \"u-42\", \"name\": \"Cart\", \"properties\": {\"items\": 2}}")))
    public Uni<Map<String, Boolean>> screen(byte[] body, @Context HttpServerRequest request) {
        return ingest(MessageType.SCREEN, body, request);
    }

    @POST
    @Path("group")
    @Operation(summary = "The user belongs to a group (account, company)")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "group", value = "{\"userId\": \"u-42\", \"groupId\": \"acme\", \"traits\": {\"name\": \"Acme Inc\", \"industry\": \"retail\"}}")))
    public Uni<Map<String, Boolean>> group(byte[] body, @Context HttpServerRequest request) {
        return ingest(MessageType.GROUP, body, request);
    }

    @POST
    @Path("alias")
    @Operation(summary = "previousId and userId are the same person")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "alias", value = "{\"previousId\": \"a-7f3\", \"userId\": \"u-42\"}")))
    public Uni<Map<String, Boolean>> alias(byte[] body, @Context HttpServerRequest request) {
        return ingest(MessageType.ALIAS, body, request);
    }

    @POST
    @Path("batch")
    @Operation(summary = "Several messages at once: {\"batch\": [...]}",
            description = "One invalid message rejects the whole batch (400) and nothing is written. 200 means "
                    + "Kafka acknowledged every message. After a 503 some may have been written: resend the batch "
                    + "with the same messageIds and the duplicates are dropped downstream.")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "batch", value = "{\"batch\": [{\"type\": \"page\", \"anonymousId\": \"a-7f3\", \"name\": \"Pricing\"}, {\"type\": \"identify\", \"anonymousId\": \"a-7f3\", \"userId\": \"u-42\", \"traits\": {\"email\": \"jane@example.com\"}}, {\"type\": \"track\", \"userId\": \"u-42\", \"event\": \"Product Added\", \"properties\": {\"sku\": \"sku-1\", \"price\": 49.5}}], \"sentAt\": \"2026-11-23T09:15:01Z\"}")))
    public Uni<Map<String, Boolean>> batch(byte[] body, @Context HttpServerRequest request) {
        return ingest(null, body, request);
    }

    /** Where Segment's server-side libraries (Java, among others) post their batches. */
    @POST
    @Path("import")
    @Operation(summary = "The batch endpoint under the path Segment's server-side libraries use")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public Uni<Map<String, Boolean>> importBatch(byte[] body, @Context HttpServerRequest request) {
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
        return Uni.createFrom().item(() -> WriteKeyCredentials.fromAuthorization(request.getHeader(HttpHeaders.AUTHORIZATION)))
                .chain(headerKey -> headerKey != null
                        ? authenticate(headerKey).map(source -> new Authenticated(source, decode(type, body)))
                        : Uni.createFrom().item(() -> decode(type, body)).chain(document ->
                                authenticate(writeKeyFromBody(document)).map(source -> new Authenticated(source, document))))
                .map(authenticated -> admit(type, authenticated, body.length,
                        new Reception(authenticated.source(), receivedAt, clientIp, gpc)))
                .call(this::withinRateLimit)
                .chain(publisher::publish)
                .replaceWith(SUCCESS);
    }

    /** Only admitted messages spend tokens: a refused request costs the source nothing. */
    private Uni<Duration> withinRateLimit(List<AdmittedMessage> messages) {
        String sourceId = messages.getFirst().sourceId();
        return rateLimiter.take(sourceId, messages.size()).invoke(wait -> {
            if (wait != null) {
                throw new ProblemException(Problem.of(429, "RATE_LIMITED",
                        "this source sent more than its rate limit allows; retry after the Retry-After seconds",
                        null), wait, null);
            }
        });
    }

    private record Authenticated(IngestionSource source, Object document) {
    }

    private List<AdmittedMessage> admit(MessageType type, Authenticated request, int bodyBytes, Reception reception) {
        if (type == null) {
            return admission.admitBatch(request.document(), bodyBytes, reception);
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

    private Uni<IngestionSource> authenticate(String writeKey) {
        return writeKeys.find(writeKey).map(source -> source.orElseThrow(() -> ProblemException.unauthenticated(
                "INVALID_WRITE_KEY", "the write key is unknown or revoked", WRITE_KEY_CHALLENGE)));
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
