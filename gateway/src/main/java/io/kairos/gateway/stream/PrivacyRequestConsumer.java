package io.kairos.gateway.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.PrivacyRequest;
import io.kairos.gateway.store.InboxEntry;
import io.kairos.gateway.store.VisitorInbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Duration;
import java.util.List;

/**
 * The gateway's part of a privacy request from {@code kairos.privacy.requests}: the visitor's in-app
 * inbox. Delete and suppress remove it, export hands its messages over. The outcome is reported to
 * consent-service, and only then is the offset committed. After its retries a failing inbox is
 * reported as failed; a malformed request goes to kairos.privacy.requests.dlq with the reason.
 */
@ApplicationScoped
public class PrivacyRequestConsumer {

    private static final int ATTEMPTS_AFTER_FIRST = 8;

    @Inject
    VisitorInbox inbox;

    @Inject
    PrivacyReports reports;

    @Inject
    ObjectMapper json;

    @Incoming("privacy-requests")
    public Uni<Void> consume(byte[] payload) {
        PrivacyRequest request;
        try {
            request = parse(payload);
        } catch (PoisonRecordException poison) {
            return Uni.createFrom().failure(poison);
        }
        String workspace = request.getWorkspace();
        String profileId = request.getProfileId();
        Uni<Outcome> work = switch (request.getKind()) {
            case DELETE, SUPPRESS -> Uni.createFrom().deferred(() -> inbox.erase(workspace, profileId))
                    .map(erased -> new Outcome(erased + " in-app messages erased", new byte[0]));
            case EXPORT -> Uni.createFrom().deferred(() -> inbox.everything(workspace, profileId))
                    .map(messages -> new Outcome(messages.size() + " in-app messages exported", export(messages)));
            default -> Uni.createFrom().failure(new PoisonRecordException(
                    "PrivacyRequest kind must be DELETE, SUPPRESS or EXPORT, got " + request.getKindValue()));
        };
        return work
                .onFailure(e -> !(e instanceof PoisonRecordException) && !reports.stopping())
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(ATTEMPTS_AFTER_FIRST)
                .chain(outcome -> reports.done(workspace, request.getRequestId(), outcome.detail(), outcome.export()))
                // Retries spent: consent-service learns that it failed here instead of waiting for ever.
                .onFailure(e -> !(e instanceof PoisonRecordException) && !reports.stopping())
                .recoverWithUni(e -> reports.failed(workspace, request.getRequestId(), e));
    }

    private record Outcome(String detail, byte[] export) {
    }

    /** {"inbox": [{firingId, triggerId, message, firedAt}, ...]}, oldest first. */
    private byte[] export(List<InboxEntry> messages) {
        ObjectNode export = json.createObjectNode();
        ArrayNode inboxMessages = export.putArray("inbox");
        try {
            for (InboxEntry entry : messages) {
                inboxMessages.addObject()
                        .put("firingId", entry.firingId())
                        .put("triggerId", entry.triggerId())
                        .put("firedAt", entry.firedAt().toString())
                        .set("message", json.readTree(entry.messageJson()));
            }
            return json.writeValueAsBytes(export);
        } catch (JsonProcessingException e) {
            // The inbox only takes JSON objects (InAppActionConsumer), so this is a broken entry.
            throw new IllegalStateException("an in-app message of the inbox is not JSON: " + e.getMessage(), e);
        }
    }

    private static PrivacyRequest parse(byte[] payload) {
        PrivacyRequest request;
        try {
            request = PrivacyRequest.parseFrom(payload == null ? new byte[0] : payload);
        } catch (InvalidProtocolBufferException e) {
            throw new PoisonRecordException("not a kairos.events.PrivacyRequest: " + e.getMessage());
        }
        if (request.getWorkspace().isBlank() || request.getProfileId().isBlank() || request.getRequestId().isBlank()) {
            throw new PoisonRecordException("PrivacyRequest without workspace, profile_id or request_id");
        }
        return request;
    }
}
