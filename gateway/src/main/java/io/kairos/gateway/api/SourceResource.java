package io.kairos.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.gateway.domain.InvalidInputException;
import io.kairos.gateway.domain.KeyRotation;
import io.kairos.gateway.domain.Permission;
import io.kairos.gateway.domain.SourceDefinition;
import io.kairos.gateway.domain.WriteKey;
import io.kairos.gateway.store.SourceEntity;
import io.kairos.gateway.store.SourceRepository;
import io.kairos.gateway.store.WriteKeyDirectory;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Event sources of a workspace and their write keys. */
@Path("/api/v1/workspaces/{ws}/sources")
@Authenticated
@SecurityRequirement(name = "keycloak")
@Tag(name = "Sources")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SourceResource {

    public record SourceRequest(String name, String channel) {
    }

    /** The write key is in this answer only: Kairos keeps its hash, never the key. */
    public record CreatedSource(String id, String name, String channel, String writeKey, Instant createdAt) {
    }

    public record SourceView(String id, String name, String channel, Instant createdAt, Instant rotatedAt,
                             Instant previousKeyExpiresAt, Instant revokedAt) {
        static SourceView of(SourceEntity source) {
            return new SourceView(source.id, source.name, source.channel, source.createdAt, source.rotatedAt,
                    source.previousKeyExpiresAt, source.revokedAt);
        }
    }

    public record RotationRequest(String gracePeriod) {
    }

    /** The new write key is in this answer only. */
    public record RotatedSource(String id, String name, String channel, String writeKey, Instant rotatedAt,
                                Instant previousKeyExpiresAt) {
    }

    public record SourceList(List<SourceView> sources) {
    }

    @Inject
    AdminAccess access;

    @Inject
    SourceRepository sources;

    @Inject
    WriteKeyDirectory writeKeys;

    @Inject
    SecureRandom random;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    @POST
    @Operation(summary = "Create a source; its write key is returned once")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "the iOS app",
            value = "{\"name\": \"iOS app\", \"channel\": \"mobile\"}")))
    public Uni<Response> create(@PathParam("ws") String workspace, SourceRequest request) {
        return access.require(workspace, Permission.WRITE_SOURCES).chain(ignored -> {
            if (request == null) {
                throw new InvalidInputException("BODY_REQUIRED", null, "send {name, channel}");
            }
            SourceDefinition definition = SourceDefinition.of(request.name(), request.channel());
            WriteKey key = WriteKey.generate(random);
            return sources.create(workspace, definition, key.hash(), clock.instant())
                    .map(source -> Response.created(URI.create(
                                    "/api/v1/workspaces/" + workspace + "/sources/" + source.id))
                            .entity(new CreatedSource(source.id, source.name, source.channel, key.value(),
                                    source.createdAt))
                            .build());
        });
    }

    @GET
    @Operation(summary = "The workspace's sources (without write keys)")
    public Uni<SourceList> list(@PathParam("ws") String workspace) {
        return access.require(workspace, Permission.READ_SOURCES)
                .chain(ignored -> sources.list(workspace))
                .map(all -> new SourceList(all.stream().map(SourceView::of).toList()));
    }

    @GET
    @Path("{sourceId}")
    @Operation(summary = "One source (without its write key)")
    public Uni<SourceView> get(@PathParam("ws") String workspace, @PathParam("sourceId") String sourceId) {
        return access.require(workspace, Permission.READ_SOURCES)
                .chain(ignored -> sources.byId(workspace, sourceId))
                .map(source -> SourceView.of(requireFound(source, sourceId)));
    }

    @POST
    @Path("{sourceId}/rotate")
    @Operation(summary = "Replace a source's write key; the new key is returned once",
            description = "The previous key keeps working for gracePeriod (ISO-8601, default PT0S: it stops at once, "
                    + "at most P30D), so deployed clients can switch without losing events.")
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = RotationRequest.class),
            examples = @ExampleObject(name = "one day of grace",
            value = "{\"gracePeriod\": \"PT24H\"}")))
    @Consumes(MediaType.WILDCARD)
    public Uni<RotatedSource> rotate(@PathParam("ws") String workspace, @PathParam("sourceId") String sourceId,
                                     byte[] body) {
        return access.require(workspace, Permission.WRITE_SOURCES).chain(ignored -> {
            JsonNode gracePeriod = body.length == 0 ? null : ContractValues.objectTree(json, body).get("gracePeriod");
            if (gracePeriod != null && !gracePeriod.isNull() && !gracePeriod.isTextual()) {
                throw new InvalidInputException("INVALID_GRACE_PERIOD", "/gracePeriod",
                        "gracePeriod must be an ISO-8601 duration string such as PT24H");
            }
            KeyRotation rotation = KeyRotation.of(gracePeriod == null ? null : gracePeriod.textValue());
            WriteKey key = WriteKey.generate(random);
            Instant now = clock.instant();
            return sources.rotate(workspace, sourceId, key.hash(), now.plus(rotation.gracePeriod()), now)
                    .call(rotated -> Multi.createFrom().iterable(rotated.replacedKeyHashes())
                            .onItem().transformToUniAndConcatenate(writeKeys::forget)
                            .collect().last())
                    .map(rotated -> {
                        SourceEntity source = requireFound(rotated.source(), sourceId);
                        if (source.revokedAt != null) {
                            throw new ProblemException(409, "SOURCE_REVOKED",
                                    "source '" + sourceId + "' is revoked; create a new source", null);
                        }
                        return new RotatedSource(source.id, source.name, source.channel, key.value(),
                                source.rotatedAt, source.previousKeyExpiresAt);
                    });
        });
    }

    @DELETE
    @Path("{sourceId}")
    @Operation(summary = "Revoke a source's write key: its events are refused from now on")
    public Uni<Response> revoke(@PathParam("ws") String workspace, @PathParam("sourceId") String sourceId) {
        return access.require(workspace, Permission.WRITE_SOURCES)
                .chain(ignored -> sources.revoke(workspace, sourceId, clock.instant()))
                .map(source -> requireFound(source, sourceId))
                .call(source -> source.previousWriteKeyHash == null ? Uni.createFrom().voidItem()
                        : writeKeys.forget(source.previousWriteKeyHash))
                .chain(source -> writeKeys.forget(source.writeKeyHash))
                .replaceWith(Response.noContent().build());
    }

    private static SourceEntity requireFound(SourceEntity source, String sourceId) {
        if (source == null) {
            throw new ProblemException(404, "SOURCE_NOT_FOUND", "the workspace has no source '" + sourceId + "'", null);
        }
        return source;
    }
}
