package io.kairos.consent.stream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kairos.api.events.ProfileEvent;
import io.kairos.api.events.RawEvent;
import io.kairos.api.events.ResolvedEvent;
import io.kairos.consent.domain.ConsentSignals;
import io.kairos.consent.domain.ConsentSubject;
import io.kairos.consent.domain.InvalidConsentInput;
import io.kairos.consent.store.ConsentFacts;
import io.kairos.consent.store.EventConsent;
import io.kairos.consent.store.ProfileContexts;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Consent signals and locations from {@code kairos.events.resolved}: what an event says about
 * consent (Segment's consent object, a Consent Updated track, GPC) is appended to the ledger, and
 * where the profile is ({@code $timezone}, {@code $country}, {@code $region}) is stored for quiet
 * hours and jurisdictions. Merges move the merged profiles' ledgers to the survivor; deletions
 * erase. The offset is committed after the transaction; malformed messages go to
 * {@code kairos.events.resolved.dlq} with the reason.
 */
@ApplicationScoped
public class ResolvedEventConsumer {

    private static final Logger LOG = Logger.getLogger(ResolvedEventConsumer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Locations written lately, so that the same location on every event of a profile is not written each time. */
    private final Cache<ConsentSubject, ProfileContexts.Location> written =
            Caffeine.newBuilder().maximumSize(100_000).build();

    private volatile boolean stopping;

    @Inject
    ConsentFacts facts;

    @Incoming("resolved-events")
    public Uni<Void> consume(byte[] payload) {
        ResolvedEvent resolved;
        try {
            resolved = parse(payload);
        } catch (PoisonMessage poison) {
            LOG.warnf("dead-lettering a resolved event: %s", poison.getMessage());
            return Uni.createFrom().failure(poison);
        }
        String workspace = resolved.getWorkspace();
        String profileId = resolved.getProfileId();
        Uni<Void> work = switch (resolved.getBodyCase()) {
            case EVENT -> event(new ConsentSubject(workspace, profileId), resolved.getEvent());
            case MERGED -> {
                List<String> merged = resolved.getMerged().getMergedIdsList();
                merged.forEach(id -> written.invalidate(new ConsentSubject(workspace, id)));
                written.invalidate(new ConsentSubject(workspace, profileId));
                yield Uni.createFrom().deferred(() -> facts.recordMerge(workspace, profileId, merged,
                        location(resolved.getMerged().getTraitsJson()), Instant.ofEpochMilli(resolved.getMerged().getAtMs())));
            }
            case DELETED -> {
                written.invalidate(new ConsentSubject(workspace, profileId));
                yield Uni.createFrom().deferred(() -> facts.erase(workspace, profileId));
            }
            case BODY_NOT_SET -> Uni.createFrom().failure(new PoisonMessage("ResolvedEvent without body"));
        };
        return work
                .onFailure(e -> !(e instanceof PoisonMessage) && !stopping)
                .invoke(e -> LOG.warnf(e, "consent signals of %s:%s failed", workspace, profileId))
                .onFailure(e -> !(e instanceof PoisonMessage) && !stopping)
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(6)
                // Neither acknowledged nor dead-lettered: the offset stays uncommitted and the message is redelivered.
                .onFailure(e -> stopping).recoverWithUni(() -> Uni.createFrom().nothing());
    }

    private Uni<Void> event(ConsentSubject subject, ProfileEvent event) {
        RawEvent raw = event.getRaw();
        Instant at = Instant.ofEpochMilli(raw.getTimestampMs());
        JsonNode payload;
        Optional<ProfileContexts.Location> location;
        try {
            payload = raw.getPayloadJson().isEmpty() ? JSON.createObjectNode() : object(raw.getPayloadJson(), "payload_json");
            location = location(event.getTraitsJson());
        } catch (PoisonMessage poison) {
            return Uni.createFrom().failure(poison);
        }
        Optional<ProfileContexts.Location> news = location.filter(l -> !l.equals(written.getIfPresent(subject)));
        boolean mayCarrySignals = payload.path("context").has("consent") || payload.path("context").has("gpc")
                || ConsentSignals.CONSENT_UPDATED.equals(raw.getEvent())
                || ConsentSignals.SEGMENT_CONSENT_UPDATED.equals(raw.getEvent());
        if (!mayCarrySignals) {
            // A location change alone needs no ledger read.
            return news.isEmpty() ? Uni.createFrom().voidItem() : facts.recordEvent(subject, news, at, List.of())
                    .invoke(() -> written.put(subject, news.get()));
        }
        return facts.facts(subject).chain(known -> {
            List<EventConsent> records;
            try {
                records = ConsentSignals.read(subject, raw.getType(), raw.getEvent(), at, payload, known.consents())
                        .stream().map(change -> new EventConsent(change, raw.getMessageId(), at)).toList();
            } catch (InvalidConsentInput invalid) {
                return Uni.createFrom().failure(new PoisonMessage("message " + raw.getMessageId() + ": "
                        + invalid.getMessage() + " (" + invalid.reason() + ")"));
            }
            if (records.isEmpty() && news.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return facts.recordEvent(subject, news, at, records)
                    .invoke(() -> news.ifPresent(l -> written.put(subject, l)));
        });
    }

    private static ResolvedEvent parse(byte[] payload) {
        if (payload == null) {
            throw new PoisonMessage("message has no value");
        }
        ResolvedEvent resolved;
        try {
            resolved = ResolvedEvent.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new PoisonMessage("not a kairos.events.ResolvedEvent: " + e.getMessage(), e);
        }
        if (resolved.getWorkspace().isBlank()) {
            throw new PoisonMessage("ResolvedEvent without workspace");
        }
        if (resolved.getProfileId().isBlank()) {
            throw new PoisonMessage("ResolvedEvent without profile_id");
        }
        return resolved;
    }

    /** Where the traits say the profile is; empty when the message carries no traits. */
    private static Optional<ProfileContexts.Location> location(ByteString traitsJson) {
        if (traitsJson.isEmpty()) {
            return Optional.empty();
        }
        JsonNode traits = object(traitsJson, "traits_json");
        return Optional.of(new ProfileContexts.Location(text(traits, "$timezone"), text(traits, "$country"),
                text(traits, "$region")));
    }

    private static String text(JsonNode traits, String field) {
        JsonNode value = traits.get(field);
        return value == null || !value.isTextual() ? null : value.textValue();
    }

    private static JsonNode object(ByteString json, String field) {
        try {
            JsonNode node = JSON.readTree(json.toByteArray());
            if (node == null || !node.isObject()) {
                throw new PoisonMessage(field + " is not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new PoisonMessage(field + " is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PoisonMessage(field + " could not be read: " + e.getMessage(), e);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }
}
