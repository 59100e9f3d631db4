package io.kairos.segment.api;

import com.google.protobuf.ByteString;
import io.kairos.api.events.ProfileEvent;
import io.kairos.api.events.ProfileDeleted;
import io.kairos.api.events.ProfileMerged;
import io.kairos.api.events.RawEvent;
import io.kairos.api.events.ResolvedEvent;

import java.time.Instant;

/** ResolvedEvents as profile-service publishes them. */
final class ResolvedEvents {

    private ResolvedEvents() {
    }

    static ResolvedEvent identify(String workspace, String profileId, String messageId, String traitsJson, String changedJson) {
        RawEvent raw = RawEvent.newBuilder()
                .setWorkspace(workspace).setMessageId(messageId).setType("identify")
                .setTimestampMs(Instant.now().toEpochMilli()).setReceivedAtMs(Instant.now().toEpochMilli())
                .setPayloadJson(utf8("{\"type\":\"identify\",\"traits\":" + changedJson + "}"))
                .build();
        return ResolvedEvent.newBuilder().setWorkspace(workspace).setProfileId(profileId)
                .setEvent(ProfileEvent.newBuilder().setRaw(raw)
                        .setChangedTraitsJson(utf8(changedJson))
                        .setTraitsJson(utf8(traitsJson)))
                .build();
    }

    static ResolvedEvent track(String workspace, String profileId, String messageId, String event, Instant at,
                               String propertiesJson, String traitsJson) {
        RawEvent raw = RawEvent.newBuilder()
                .setWorkspace(workspace).setMessageId(messageId).setType("track").setEvent(event)
                .setTimestampMs(at.toEpochMilli()).setReceivedAtMs(Instant.now().toEpochMilli())
                .setChannel("web")
                .setPayloadJson(utf8("{\"type\":\"track\",\"event\":\"" + event + "\",\"properties\":" + propertiesJson + "}"))
                .build();
        return ResolvedEvent.newBuilder().setWorkspace(workspace).setProfileId(profileId)
                .setEvent(ProfileEvent.newBuilder().setRaw(raw)
                        .setChangedTraitsJson(utf8("{}"))
                        .setTraitsJson(utf8(traitsJson)))
                .build();
    }

    static ResolvedEvent deleted(String workspace, String profileId) {
        return ResolvedEvent.newBuilder().setWorkspace(workspace).setProfileId(profileId)
                .setDeleted(ProfileDeleted.newBuilder().setAtMs(Instant.now().toEpochMilli()).setReason("erasure"))
                .build();
    }

    static ResolvedEvent merged(String workspace, String survivorId, String mergedId) {
        return ResolvedEvent.newBuilder().setWorkspace(workspace).setProfileId(survivorId)
                .setMerged(ProfileMerged.newBuilder().setSurvivorId(survivorId).addMergedIds(mergedId)
                        .setAtMs(Instant.now().toEpochMilli()).setTraitsJson(utf8("{}")))
                .build();
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
