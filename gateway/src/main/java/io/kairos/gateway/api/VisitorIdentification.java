package io.kairos.gateway.api;

import io.kairos.api.common.Identifier;
import io.kairos.api.profile.LookupProfileRequest;
import io.kairos.gateway.domain.IngestionSource;
import io.kairos.gateway.domain.VisitorIdentity;
import io.kairos.gateway.store.WriteKeyDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Optional;

/**
 * Authentication and identification of {@link VisitorEndpoint} requests: the source's write key,
 * as with ingestion (HTTP Basic user name) or as the {@code writeKey} query parameter, because a
 * browser's EventSource cannot set headers; then the visitor's {@code userId} and/or
 * {@code anonymousId} query parameters, resolved to a profile by profile-service.
 * <p>
 * A request filter rather than a step of the endpoint: an SSE endpoint has sent its response
 * headers by the time its stream runs, so refusals (401, 400, 503) must happen before.
 */
public class VisitorIdentification {

    private static final String WRITE_KEY_CHALLENGE = WriteKeyCredentials.CHALLENGE;

    @Inject
    WriteKeyDirectory writeKeys;

    @Inject
    KairosServices services;

    @Inject
    IdentifiedVisitor visitor;

    @ServerRequestFilter
    @VisitorEndpoint
    public Uni<Void> identify(HttpHeaders headers, UriInfo uri) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        return authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION), query.getFirst("writeKey"))
                .chain(source -> {
                    VisitorIdentity identity = new VisitorIdentity(query.getFirst("userId"),
                            query.getFirst("anonymousId"));
                    return profileOf(source.workspace(), identity)
                            .invoke(profileId -> visitor.identified(source.workspace(), profileId));
                })
                .replaceWithVoid();
    }

    /** The workspace of the source whose key the request presents; a 401 problem otherwise. */
    private Uni<IngestionSource> authenticate(String authorization, String writeKeyParameter) {
        return Uni.createFrom().item(() -> writeKey(authorization, writeKeyParameter))
                .chain(writeKeys::find)
                .map(source -> source.orElseThrow(() -> ProblemException.unauthenticated(
                        "INVALID_WRITE_KEY", "the write key is unknown or revoked", WRITE_KEY_CHALLENGE)));
    }

    /**
     * The visitor's profile id, or empty for a visitor profile-service does not know yet (its
     * first events may still be on their way).
     */
    private Uni<Optional<String>> profileOf(String workspace, VisitorIdentity identity) {
        return lookup(workspace, identity.claims(), 0);
    }

    private Uni<Optional<String>> lookup(String workspace, List<VisitorIdentity.Claim> claims, int next) {
        if (next == claims.size()) {
            return Uni.createFrom().item(Optional.empty());
        }
        VisitorIdentity.Claim claim = claims.get(next);
        return services.profiles(profiles -> profiles.lookupProfile(LookupProfileRequest.newBuilder()
                        .setWorkspace(workspace)
                        .setIdentifier(Identifier.newBuilder().setType(claim.type()).setValue(claim.value()))
                        .build()))
                .map(profile -> Optional.of(profile.getProfileId()))
                .onFailure(failure -> status(failure) == 404).recoverWithItem(Optional.empty())
                // profile-service refuses placeholder values ("undefined", "null"): the query parameter is at fault.
                .onFailure(failure -> status(failure) == 400).transform(failure -> {
                    Problem refused = ((ProblemException) failure).problem();
                    return new ProblemException(400, refused.reason(), refused.detail(), "/" + claim.type());
                })
                .chain(found -> found.isPresent() ? Uni.createFrom().item(found) : lookup(workspace, claims, next + 1));
    }

    private static int status(Throwable failure) {
        return failure instanceof ProblemException problem ? problem.problem().status() : 0;
    }

    private static String writeKey(String authorization, String parameter) {
        String fromHeader = WriteKeyCredentials.fromAuthorization(authorization);
        if (fromHeader != null) {
            return fromHeader;
        }
        if (parameter != null && !parameter.isBlank()) {
            return parameter.strip();
        }
        throw ProblemException.unauthenticated("WRITE_KEY_REQUIRED",
                "send the source's write key as the HTTP Basic user name (empty password) or as the writeKey "
                        + "query parameter", WRITE_KEY_CHALLENGE);
    }
}
