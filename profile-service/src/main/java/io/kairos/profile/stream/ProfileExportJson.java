package io.kairos.profile.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.profile.domain.ObservedEvent;
import io.kairos.profile.store.ProfileExport;
import java.time.Instant;
import java.util.Optional;

/** profile-service's part of a data subject's export as JSON: the profile, its identity graph, its history. */
final class ProfileExportJson {

    private ProfileExportJson() {
    }

    static ObjectNode of(ObjectMapper json, Optional<ProfileExport> found) {
        ObjectNode export = json.createObjectNode();
        if (found.isEmpty()) {
            export.putNull("profile");
            return export;
        }
        ProfileExport data = found.get();
        ObjectNode profile = export.putObject("profile");
        profile.put("profileId", data.profile().profileId().toString());
        profile.set("traits", json.valueToTree(data.profile().traits()));
        profile.put("firstSeen", text(data.profile().firstSeen()));
        profile.put("lastSeen", text(data.profile().lastSeen()));
        ArrayNode identifiers = export.putArray("identifiers");
        data.identityGraph().identifiers().forEach(held -> identifiers.addObject()
                .put("type", held.identifierType).put("value", held.identifierValue).put("since", text(held.createdAt)));
        ArrayNode merged = export.putArray("mergedProfiles");
        data.identityGraph().merged().forEach(alias -> merged.addObject()
                .put("profileId", alias.mergedId.toString()).put("mergedAt", text(alias.mergedAt)));
        ArrayNode dropped = export.putArray("droppedIdentifiers");
        data.identityGraph().dropped().forEach(identifier -> dropped.addObject()
                .put("type", identifier.identifierType).put("value", identifier.identifierValue)
                .put("reason", identifier.reason).put("droppedAt", text(identifier.droppedAt)));
        ArrayNode events = export.putArray("events");
        data.events().forEach(event -> events.add(event(json, event)));
        return export;
    }

    private static ObjectNode event(ObjectMapper json, ObservedEvent event) {
        ObjectNode node = json.createObjectNode()
                .put("messageId", event.messageId())
                .put("type", event.type().wireName())
                .put("occurredAt", text(event.occurredAt()))
                .put("receivedAt", text(event.receivedAt()));
        if (event.event() != null) {
            node.put("event", event.event());
        }
        if (event.channel() != null) {
            node.put("channel", event.channel());
        }
        node.set("message", json.valueToTree(event.payload()));
        return node;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
