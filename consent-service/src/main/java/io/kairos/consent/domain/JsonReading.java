package io.kairos.consent.domain;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Strict reading of the JSON documents consent-service accepts (policies, jurisdictions): every
 * fault is an {@link InvalidConsentInput} naming the JSON pointer at fault, never a guess.
 */
final class JsonReading {

    static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    static final DateTimeFormatter HH_MM_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    /** The tz database's names: region ids such as Europe/Berlin, and UTC; no bare offsets like +02:00. */
    private static final Set<String> IANA_ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());
    private static final Pattern TIME_OF_DAY = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    private static final long SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();
    /** Values are quoted back in messages up to this length. */
    private static final int QUOTE_LIMIT = 64;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonReading() {
    }

    /** A whole document that must be one JSON object, with no duplicate member and nothing after it. */
    static JsonNode object(byte[] json, String field, String what) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidConsentInput("INVALID_JSON", field, what + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidConsentInput("NOT_AN_OBJECT", field, what + ": must be a JSON object; got an empty document");
        }
        if (!root.isObject()) {
            throw new InvalidConsentInput("NOT_AN_OBJECT", field, what + ": must be a JSON object, got " + typeOf(root));
        }
        return root;
    }

    static ZoneId timezone(JsonNode value, String at) {
        String zone = text(value, at, "an IANA time zone name such as America/New_York");
        if (!IANA_ZONES.contains(zone)) {
            throw invalid("INVALID_TIMEZONE", at,
                    at + ": " + quote(zone) + " is not an IANA time zone name such as America/New_York or UTC");
        }
        return ZoneId.of(zone);
    }

    static LocalTime timeOfDay(JsonNode value, String at) {
        String time = text(value, at, "a time of day as HH:mm, e.g. 21:00");
        if (!TIME_OF_DAY.matcher(time).matches()) {
            throw invalid("INVALID_TIME", at, at + ": " + quote(time) + " is not a time of day as HH:mm (00:00 to 23:59)");
        }
        return LocalTime.parse(time, HH_MM);
    }

    static Duration positiveDuration(JsonNode value, String at) {
        String text = text(value, at, "an ISO-8601 duration such as P7D or PT12H");
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid("INVALID_DURATION", at, at + ": " + quote(text)
                    + " is not an ISO-8601 duration in days, hours, minutes or seconds, such as P7D or PT12H");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw invalid("INVALID_DURATION", at, at + ": " + quote(text) + " is not a positive duration");
        }
        return duration;
    }

    /** Whole days as days (P7D), anything finer as Duration prints it (PT36H, PT0.5S). */
    static String duration(Duration duration) {
        if (duration.getNano() == 0 && duration.getSeconds() % SECONDS_PER_DAY == 0) {
            return "P" + duration.getSeconds() / SECONDS_PER_DAY + "D";
        }
        return duration.toString();
    }

    static <E extends Enum<E> & ConsentVocabulary> E term(Class<E> type, String name, String at, String reason,
                                                          String kind) {
        for (E candidate : type.getEnumConstants()) {
            if (candidate.wireName().equals(name)) {
                return candidate;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(ConsentVocabulary::wireName)
                .collect(Collectors.joining(", "));
        throw new InvalidConsentInput(reason, unslashed(at),
                at + ": " + quote(name) + " is not a " + kind + "; one of " + allowed, Map.of("allowed", allowed));
    }

    static JsonNode required(JsonNode object, String at, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            String fieldAt = child(at, field);
            throw invalid("FIELD_REQUIRED", fieldAt, fieldAt + " is required");
        }
        return value;
    }

    static String text(JsonNode value, String at, String expected) {
        if (!value.isTextual()) {
            throw wrongType(value, at, expected);
        }
        return value.textValue();
    }

    static void requireObject(JsonNode value, String at, String expected) {
        if (!value.isObject()) {
            throw wrongType(value, at, expected);
        }
    }

    static void requireArray(JsonNode value, String at, String expected) {
        if (!value.isArray()) {
            throw wrongType(value, at, expected);
        }
    }

    static void rejectUnknownFields(JsonNode object, String at, List<String> known) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!known.contains(field.getKey())) {
                throw unknownField(child(at, field.getKey()), known);
            }
        }
    }

    static InvalidConsentInput unknownField(String at, List<String> known) {
        String allowed = String.join(", ", known);
        return new InvalidConsentInput("UNKNOWN_FIELD", unslashed(at),
                at + " is not a known field; known here: " + allowed, Map.of("allowed", allowed));
    }

    static InvalidConsentInput wrongType(JsonNode value, String at, String expected) {
        return invalid("WRONG_TYPE", at, at + " must be " + expected + ", got " + typeOf(value));
    }

    static InvalidConsentInput invalid(String reason, String at, String message) {
        return new InvalidConsentInput(reason, unslashed(at), message);
    }

    /** {@link InvalidConsentInput#field()} is a pointer without its leading slash. */
    static String unslashed(String pointer) {
        return pointer.isEmpty() ? "" : pointer.substring(1);
    }

    /** RFC 6901: "~" and "/" inside a name are escaped. */
    static String child(String pointer, String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    static String typeOf(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    static String quote(String value) {
        return "'" + (value.length() <= QUOTE_LIMIT ? value : value.substring(0, QUOTE_LIMIT) + "...") + "'";
    }
}
