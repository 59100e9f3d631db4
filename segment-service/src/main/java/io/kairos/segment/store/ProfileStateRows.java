package io.kairos.segment.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.segment.domain.JsonValueReader;
import io.kairos.segment.domain.ObservedEvent;
import io.kairos.segment.domain.Value;
import io.vertx.mutiny.sqlclient.Row;

import java.io.UncheckedIOException;
import java.util.Map;

/** Columns of the profile state (traits, events and their properties) to and from evaluator values. */
final class ProfileStateRows {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ProfileStateRows() {
    }

    static Map<String, Value> readObject(String json) {
        try {
            return JsonValueReader.readObject(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            // Only this service writes these columns, from values it parsed itself.
            throw new UncheckedIOException("stored JSON is unreadable", e);
        }
    }

    /** A row of {@code profile_event} read with {@code properties_json::text as properties}. */
    static ObservedEvent readEvent(Row row) {
        return new ObservedEvent(row.getString("name"), row.getOffsetDateTime("occurred_at").toInstant(),
                readObject(row.getString("properties")));
    }

    static String writeObject(Map<String, Value> fields) {
        ObjectNode object = NODES.objectNode();
        fields.forEach((name, value) -> object.set(name, toNode(value)));
        return object.toString();
    }

    private static JsonNode toNode(Value value) {
        return switch (value) {
            case Value.Text text -> NODES.textNode(text.value());
            // Values are normalised for comparison (30 is held as 3E+1); written back, 30 must read as 30.
            case Value.Num num -> NODES.numberNode(num.value().scale() < 0 ? num.value().setScale(0) : num.value());
            case Value.Bool bool -> NODES.booleanNode(bool.value());
            case Value.Null ignored -> NODES.nullNode();
            case Value.Items items -> {
                ArrayNode array = NODES.arrayNode();
                items.values().forEach(item -> array.add(toNode(item)));
                yield array;
            }
            case Value.Obj obj -> {
                ObjectNode object = NODES.objectNode();
                obj.fields().forEach((name, field) -> object.set(name, toNode(field)));
                yield object;
            }
        };
    }
}
