package io.kairos.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.kairos.gateway.domain.InvalidInputException;

import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An edit (PUT) of a versioned definition, a segment or a trigger: the version it was made
 * against (If-Match), and the body as the owning service takes it.
 *
 * @param kind          "segment" or "trigger", for messages
 * @param readOnlyKeys  what a read adds to the definition; dropped when a read one is sent back
 */
record DefinitionEdit(String kind, List<String> readOnlyKeys) {

    private static final Pattern QUOTED_VERSION = Pattern.compile("\"([1-9][0-9]{0,8})\"");

    /** If-Match: the version quoted, as GET's ETag sends it ("3"), or * for any; absent: any (0, not checked). */
    int expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return 0;
        }
        Matcher version = QUOTED_VERSION.matcher(ifMatch.strip());
        if (!version.matches()) {
            throw new InvalidInputException("INVALID_IF_MATCH", null,
                    "If-Match must be the " + kind + "'s version in quotes, such as \"3\", or *; got " + ifMatch);
        }
        return Integer.parseInt(version.group(1));
    }

    /**
     * The body without what a read adds, so that a definition read, changed and sent back is
     * accepted; sent as it came when it has none of it.
     */
    ByteString definition(ObjectMapper json, String id, byte[] body) {
        ByteString definition = ContractValues.requireObject(json, body);
        ObjectNode tree;
        try {
            // Exact decimals and no duplicate keys: what is forwarded must say what was sent.
            tree = (ObjectNode) json.reader()
                    .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                    .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("MALFORMED_JSON", null, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException("MALFORMED_JSON", null, "the body could not be read as JSON");
        }
        if (readOnlyKeys.stream().noneMatch(tree::has)) {
            return definition;
        }
        if (tree.has("id") && !id.equals(tree.get("id").asText())) {
            throw new InvalidInputException("ID_MISMATCH", "/id",
                    "the body is " + kind + " " + tree.get("id") + ", the path names " + id);
        }
        tree.remove(readOnlyKeys);
        try {
            return ByteString.copyFrom(json.writeValueAsBytes(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
