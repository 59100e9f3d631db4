package io.kairos.trigger.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.api.consent.GetPoliciesRequest;
import io.kairos.api.consent.MutinyConsentServiceGrpc;
import io.kairos.trigger.config.TriggerConfig;
import io.kairos.trigger.domain.Channel;
import io.kairos.trigger.domain.FrequencyCap;
import io.quarkus.cache.CacheResult;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The workspace's policies that apply to sends, as consent-service keeps them: the frequency caps
 * per channel across triggers, and the default time zone (for caps in calendar days when neither the
 * profile nor the event has one). Cached briefly ({@code quarkus.cache.caffeine.workspace-rules}):
 * a policy edit reaches the caps within that time. consent-service unreachable fails the firing,
 * which is tried again later (fail closed).
 */
@ApplicationScoped
public class WorkspaceRules {

    private static final Logger LOG = Logger.getLogger(WorkspaceRules.class);

    /** The caps and default time zone of one workspace. */
    public record Rules(ZoneId defaultZone, List<FrequencyCap> caps) {
    }

    private final MutinyConsentServiceGrpc.MutinyConsentServiceStub consent;
    private final TriggerConfig.Consent config;
    private final ObjectMapper json;

    public WorkspaceRules(@GrpcClient("consent") MutinyConsentServiceGrpc.MutinyConsentServiceStub consent,
                          TriggerConfig config, ObjectMapper json) {
        this.consent = consent;
        this.config = config.consent();
        this.json = json;
    }

    @CacheResult(cacheName = "workspace-rules")
    public Uni<Rules> of(String workspace) {
        return Uni.createFrom().deferred(() -> consent.withDeadlineAfter(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .getPolicies(GetPoliciesRequest.newBuilder().setWorkspace(workspace).build()))
                .map(policies -> rules(workspace, policies.getPoliciesJson().toByteArray()))
                .onFailure().transform(e -> e instanceof ConsentUnavailable ? e : new ConsentUnavailable(
                        "consent-service gave no policies for " + workspace + ": " + e.getMessage(), e));
    }

    private Rules rules(String workspace, byte[] policiesJson) {
        JsonNode policies;
        try {
            policies = json.readTree(policiesJson);
        } catch (IOException e) {
            throw new IllegalStateException("consent-service's policies of " + workspace + " are not JSON", e);
        }
        List<FrequencyCap> caps = new ArrayList<>();
        for (JsonNode cap : policies.path("frequencyCaps")) {
            // A cap on a channel no trigger sends on (web) counts nothing here.
            Optional<Channel> channel = Channel.fromWireName(cap.path("channel").asText());
            if (channel.isEmpty()) {
                LOG.debugf("workspace %s: cap on channel %s does not concern triggers", workspace, cap.path("channel").asText());
                continue;
            }
            Optional<String> purpose = cap.hasNonNull("purpose") ? Optional.of(cap.path("purpose").asText()) : Optional.empty();
            caps.add(new FrequencyCap(cap.path("max").asInt(), Duration.parse(cap.path("per").asText()),
                    cap.path("calendarDays").asBoolean(false),
                    new FrequencyCap.Scope.OnChannel(channel.get(), purpose)));
        }
        String zone = policies.path("defaultTimezone").asText("UTC");
        return new Rules(ZoneId.of(zone.isBlank() ? "UTC" : zone), caps);
    }
}
