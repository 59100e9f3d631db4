package io.kairos.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.kairos.gateway.domain.InvalidInputException;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;

/**
 * Values of the gRPC contracts as the admin API shows them: JSON carried as bytes (traits,
 * definitions, payloads), epoch milliseconds, proto3's empty strings for "absent".
 */
final class ContractValues {

    /** Keys of a stored definition that only the owning service sets. */
    private static final Set<String> DEFINITION_SERVICE_KEYS = Set.of("id", "name", "version", "createdAt", "updatedAt");

    private ContractValues() {
    }

    /** Bytes a service sent back; empty bytes are an empty object. */
    static JsonNode json(ObjectMapper json, ByteString bytes) {
        if (bytes.isEmpty()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(bytes.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("a Kairos service sent JSON that does not parse", e);
        }
    }

    /** A request body to forward as definition JSON: it must at least be a JSON object. */
    static ByteString requireObject(ObjectMapper json, byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidInputException("BODY_REQUIRED", null, "send the definition as a JSON object");
        }
        objectTree(json, body);
        return ByteString.copyFrom(body);
    }

    /** A request body that must be one JSON object. */
    static JsonNode objectTree(ObjectMapper json, byte[] body) {
        JsonNode tree;
        try {
            tree = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("MALFORMED_JSON", null,
                    "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException("MALFORMED_JSON", null, "the body could not be read as JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidInputException("NOT_AN_OBJECT", null, "the body must be a JSON object");
        }
        return tree;
    }

    /**
     * A stored definition (segment, trigger) as the API shows it: the JSON as it was sent, under the
     * id and name the service keeps. Keys the caller must not override ("id", "version",
     * timestamps) come only from the service; the caller adds version and timestamps after.
     */
    static ObjectNode definitionView(ObjectMapper json, String id, String name, ByteString definition) {
        ObjectNode view = json.createObjectNode();
        view.put("id", id);
        view.put("name", name);
        json(json, definition).properties().forEach(field -> {
            if (!DEFINITION_SERVICE_KEYS.contains(field.getKey())) {
                view.set(field.getKey(), field.getValue());
            }
        });
        return view;
    }

    /** Epoch milliseconds of the contracts; 0 means unknown. */
    static Instant instant(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis);
    }

    static String text(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** A JSON field left out is the contracts' empty string. */
    static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
