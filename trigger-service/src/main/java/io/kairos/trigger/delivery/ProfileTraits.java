package io.kairos.trigger.delivery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.kairos.api.profile.GetProfileRequest;
import io.kairos.api.profile.MutinyProfileServiceGrpc;
import io.kairos.trigger.config.TriggerConfig;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A profile's traits as profile-service has them now, for a dry run (firings carry the traits of
 * the event or change that caused them and never ask). Empty when there is no such profile.
 */
@ApplicationScoped
public class ProfileTraits {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final MutinyProfileServiceGrpc.MutinyProfileServiceStub profiles;
    private final TriggerConfig.Consent config;
    private final ObjectMapper json;

    public ProfileTraits(@GrpcClient("profiles") MutinyProfileServiceGrpc.MutinyProfileServiceStub profiles,
                         TriggerConfig config, ObjectMapper json) {
        this.profiles = profiles;
        this.config = config.consent();
        this.json = json;
    }

    public Uni<Optional<Map<String, Object>>> of(String workspace, String profileId) {
        return Uni.createFrom().deferred(() -> profiles.withDeadlineAfter(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .getProfile(GetProfileRequest.newBuilder().setWorkspace(workspace).setProfileId(profileId).build()))
                .map(profile -> Optional.of(traits(profile.getTraitsJson().toByteArray())))
                .onFailure(e -> Status.fromThrowable(e).getCode() == Status.Code.NOT_FOUND)
                .recoverWithItem(Optional.empty());
    }

    private Map<String, Object> traits(byte[] traitsJson) {
        if (traitsJson.length == 0) {
            return Map.of();
        }
        try {
            return json.readValue(traitsJson, OBJECT);
        } catch (IOException e) {
            throw new IllegalStateException("profile-service's traits are not a JSON object", e);
        }
    }
}
