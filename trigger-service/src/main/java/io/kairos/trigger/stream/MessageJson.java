package io.kairos.trigger.stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.Map;

/** The JSON objects consumed messages carry as bytes, read into the plain trees the domain works on. */
@Singleton
class MessageJson {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final ObjectMapper json;

    MessageJson(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param field the message field, named in the dead-letter reason
     * @return the object's members; none when the field is empty
     * @throws PoisonMessage when the bytes are not a JSON object
     */
    Map<String, Object> object(ByteString bytes, String field) {
        if (bytes.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> object;
        try {
            object = json.readValue(bytes.toByteArray(), OBJECT);
        } catch (IOException e) {
            throw new PoisonMessage(field + " is not a JSON object: " + e.getMessage(), e);
        }
        if (object == null) {
            throw new PoisonMessage(field + " is not a JSON object: null");
        }
        return object;
    }
}
