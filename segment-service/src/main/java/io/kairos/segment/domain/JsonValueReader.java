package io.kairos.segment.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a Jackson tree into the library-free {@link Value} the evaluator works on. */
public final class JsonValueReader {

    private JsonValueReader() {
    }

    public static Value read(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Value.NULL;
        }
        if (node.isTextual()) {
            return new Value.Text(node.textValue());
        }
        if (node.isNumber()) {
            return new Value.Num(node.decimalValue());
        }
        if (node.isBoolean()) {
            return new Value.Bool(node.booleanValue());
        }
        if (node.isArray()) {
            List<Value> items = new ArrayList<>(node.size());
            node.forEach(item -> items.add(read(item)));
            return new Value.Items(items);
        }
        if (node.isObject()) {
            return new Value.Obj(readObject(node));
        }
        // Binary or POJO nodes never come out of parsing JSON text.
        throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }

    /** The fields of a JSON object; every field present, JSON null as {@link Value#NULL}. */
    public static Map<String, Value> readObject(JsonNode object) {
        if (!object.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, got " + object.getNodeType());
        }
        Map<String, Value> fields = new LinkedHashMap<>();
        object.properties().forEach(field -> fields.put(field.getKey(), read(field.getValue())));
        return fields;
    }
}
