package io.kairos.trigger.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.trigger.config.JsonSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain JSON trees for tests, read exactly as the service reads them. */
final class JsonTrees {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        new JsonSettings().customize(JSON);
    }

    private JsonTrees() {
    }

    static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String json) {
        return (Map<String, Object>) parse(json);
    }

    /** A deep copy of {@code tree} with the value at {@code pointer} set (valueJson) or removed (null). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> edit(Map<String, Object> tree, String pointer, String valueJson) {
        Map<String, Object> copy = (Map<String, Object>) deepCopy(tree);
        String[] tokens = pointer.substring(1).split("/");
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = tokens[i].replace("~1", "/").replace("~0", "~");
        }
        Object parent = copy;
        for (int i = 0; i < tokens.length - 1; i++) {
            parent = parent instanceof Map<?, ?> map ? map.get(tokens[i]) : ((List<?>) parent).get(Integer.parseInt(tokens[i]));
        }
        String last = tokens[tokens.length - 1];
        if (parent instanceof Map<?, ?> map) {
            Map<String, Object> object = (Map<String, Object>) map;
            if (valueJson == null) {
                object.remove(last);
            } else {
                object.put(last, parse(valueJson));
            }
        } else {
            List<Object> list = (List<Object>) parent;
            if (valueJson == null) {
                list.remove(Integer.parseInt(last));
            } else {
                list.set(Integer.parseInt(last), parse(valueJson));
            }
        }
        return copy;
    }

    private static Object deepCopy(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, deepCopy(v)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopy(v)));
            return copy;
        }
        return node;
    }
}
