package io.kairos.consent.domain;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Workspace policies as JSON (DESIGN.md, "Workspace policies"):
 * <pre>{"defaultTimezone": "America/New_York",
 *  "quietHours": {"sms": {"from": "21:00", "to": "08:00"}},
 *  "frequencyCaps": [{"channel": "email", "purpose": "marketing", "max": 3, "per": "P7D"}]}</pre>
 *
 * <p>Reading is strict: whatever is not understood is refused, never ignored, with the JSON
 * pointer of the first fault in document order ({@code ""} for the document itself). A top-level
 * field set to {@code null} goes back to its {@linkplain Policies#DEFAULTS default}, as a merge
 * patch removes a member; a channel of {@code quietHours} set to {@code null} loses its window.
 */
public final class PoliciesJson {

    /** Far more than any real policy needs; bounds the work one request can ask for. */
    public static final int MAX_FREQUENCY_CAPS = 50;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final List<String> FIELDS = List.of("defaultTimezone", "quietHours", "frequencyCaps");
    private static final List<String> WINDOW_FIELDS = List.of("from", "to");
    private static final List<String> CAP_FIELDS = List.of("channel", "purpose", "max", "per");
    /** The tz database's names: region ids such as Europe/Berlin, and UTC; no bare offsets like +02:00. */
    private static final Set<String> IANA_ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());
    private static final Pattern TIME_OF_DAY = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static final long SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();
    /** Values are quoted back in messages up to this length. */
    private static final int QUOTE_LIMIT = 64;

    private PoliciesJson() {
    }

    /** Parses and validates an update; throws {@link InvalidConsentInput} at the first fault. */
    public static PoliciesChange parseChange(byte[] json) {
        JsonNode root = readTree(json);
        Optional<ZoneId> timezone = Optional.empty();
        Map<DeliveryChannel, Optional<QuietHours>> quietHours = new EnumMap<>(DeliveryChannel.class);
        Optional<List<FrequencyCap>> caps = Optional.empty();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String at = child("", field.getKey());
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "defaultTimezone" -> timezone = Optional.of(
                        value.isNull() ? Policies.DEFAULTS.defaultTimezone() : timezone(value, at));
                case "quietHours" -> quietHours.putAll(value.isNull() ? defaultQuietHours() : quietHours(value, at));
                case "frequencyCaps" -> caps = Optional.of(
                        value.isNull() ? Policies.DEFAULTS.frequencyCaps() : frequencyCaps(value, at));
                default -> throw unknownField(at, FIELDS);
            }
        }
        return new PoliciesChange(timezone, quietHours, caps);
    }

    /** The complete policies, every field present, quiet hours in channel order. */
    public static byte[] write(Policies policies) {
        ObjectNode root = JSON.createObjectNode();
        root.put("defaultTimezone", policies.defaultTimezone().getId());
        ObjectNode quietHours = root.putObject("quietHours");
        policies.quietHours().forEach((channel, window) -> quietHours.putObject(channel.wireName())
                .put("from", HH_MM.format(window.from()))
                .put("to", HH_MM.format(window.to())));
        ArrayNode caps = root.putArray("frequencyCaps");
        for (FrequencyCap cap : policies.frequencyCaps()) {
            ObjectNode written = caps.addObject().put("channel", cap.channel().wireName());
            cap.purpose().ifPresent(purpose -> written.put("purpose", purpose.wireName()));
            written.put("max", cap.max()).put("per", duration(cap.per()));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Policies as {@link #write} stored them: the complete document, replacing rather than merging. */
    public static Policies readStored(String json) {
        return Policies.NONE.with(parseChange(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode readTree(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw invalid("INVALID_JSON", "", "policies are not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || root.isMissingNode()) {
            throw invalid("NOT_AN_OBJECT", "", "policies must be a JSON object; got an empty document");
        }
        if (!root.isObject()) {
            throw invalid("NOT_AN_OBJECT", "", "policies must be a JSON object, got " + typeOf(root));
        }
        return root;
    }

    private static ZoneId timezone(JsonNode value, String at) {
        String zone = text(value, at, "an IANA time zone name such as America/New_York");
        if (!IANA_ZONES.contains(zone)) {
            throw invalid("INVALID_TIMEZONE", at,
                    at + ": " + quote(zone) + " is not an IANA time zone name such as America/New_York or UTC");
        }
        return ZoneId.of(zone);
    }

    private static Map<DeliveryChannel, Optional<QuietHours>> defaultQuietHours() {
        Map<DeliveryChannel, Optional<QuietHours>> windows = new EnumMap<>(DeliveryChannel.class);
        for (DeliveryChannel channel : DeliveryChannel.values()) {
            windows.put(channel, Optional.ofNullable(Policies.DEFAULTS.quietHours().get(channel)));
        }
        return windows;
    }

    private static Map<DeliveryChannel, Optional<QuietHours>> quietHours(JsonNode value, String at) {
        requireObject(value, at, "an object of channel -> {\"from\": \"HH:mm\", \"to\": \"HH:mm\"}");
        Map<DeliveryChannel, Optional<QuietHours>> windows = new EnumMap<>(DeliveryChannel.class);
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            String channelAt = child(at, entry.getKey());
            DeliveryChannel channel = channel(entry.getKey(), channelAt);
            windows.put(channel, entry.getValue().isNull() ? Optional.empty()
                    : Optional.of(quietWindow(entry.getValue(), channelAt)));
        }
        return windows;
    }

    private static QuietHours quietWindow(JsonNode value, String at) {
        requireObject(value, at, "{\"from\": \"HH:mm\", \"to\": \"HH:mm\"}, or null to remove the channel's quiet hours");
        rejectUnknownFields(value, at, WINDOW_FIELDS);
        LocalTime from = timeOfDay(required(value, at, "from"), child(at, "from"));
        LocalTime to = timeOfDay(required(value, at, "to"), child(at, "to"));
        if (from.equals(to)) {
            throw invalid("EMPTY_QUIET_HOURS", at, at + ": from and to are both " + HH_MM.format(from)
                    + "; a window needs two different times (set the channel to null for no quiet hours)");
        }
        return new QuietHours(from, to);
    }

    private static LocalTime timeOfDay(JsonNode value, String at) {
        String time = text(value, at, "a time of day as HH:mm, e.g. 21:00");
        if (!TIME_OF_DAY.matcher(time).matches()) {
            throw invalid("INVALID_TIME", at, at + ": " + quote(time) + " is not a time of day as HH:mm (00:00 to 23:59)");
        }
        return LocalTime.parse(time, HH_MM);
    }

    private static List<FrequencyCap> frequencyCaps(JsonNode value, String at) {
        if (!value.isArray()) {
            throw wrongType(value, at, "an array of {\"channel\", \"purpose\", \"max\", \"per\"}");
        }
        if (value.size() > MAX_FREQUENCY_CAPS) {
            throw invalid("TOO_MANY_FREQUENCY_CAPS", at,
                    at + ": " + value.size() + " caps; at most " + MAX_FREQUENCY_CAPS + " are allowed");
        }
        List<FrequencyCap> caps = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String capAt = at + "/" + i;
            FrequencyCap cap = frequencyCap(value.get(i), capAt);
            for (int earlier = 0; earlier < caps.size(); earlier++) {
                if (caps.get(earlier).sameScopeAs(cap)) {
                    throw invalid("DUPLICATE_FREQUENCY_CAP", capAt, capAt + ": repeats the channel, purpose and per of "
                            + at + "/" + earlier + "; keep one cap per channel, purpose and window");
                }
            }
            caps.add(cap);
        }
        return caps;
    }

    private static FrequencyCap frequencyCap(JsonNode value, String at) {
        requireObject(value, at, "{\"channel\", \"purpose\", \"max\", \"per\"}");
        rejectUnknownFields(value, at, CAP_FIELDS);
        String channelAt = child(at, "channel");
        DeliveryChannel channel = channel(text(required(value, at, "channel"), channelAt, "a channel name"), channelAt);
        Optional<Purpose> purpose = Optional.empty();
        JsonNode purposeValue = value.get("purpose");
        if (purposeValue != null && !purposeValue.isNull()) {
            String purposeAt = child(at, "purpose");
            purpose = Optional.of(term(Purpose.class, text(purposeValue, purposeAt, "a purpose name"), purposeAt,
                    "UNKNOWN_PURPOSE", "purpose"));
        }
        int max = max(required(value, at, "max"), child(at, "max"));
        Duration per = per(required(value, at, "per"), child(at, "per"));
        return new FrequencyCap(channel, purpose, max, per);
    }

    private static int max(JsonNode value, String at) {
        if (!value.isNumber()) {
            throw wrongType(value, at, "a whole number of at least 1");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            throw invalid("INVALID_CAP_MAX", at, at + ": " + quote(value.asText())
                    + " is not a whole number from 1 to " + Integer.MAX_VALUE);
        }
        return value.intValue();
    }

    private static Duration per(JsonNode value, String at) {
        String text = text(value, at, "an ISO-8601 duration such as P7D or PT12H");
        Duration per;
        try {
            per = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid("INVALID_DURATION", at, at + ": " + quote(text)
                    + " is not an ISO-8601 duration in days, hours, minutes or seconds, such as P7D or PT12H");
        }
        if (per.isNegative() || per.isZero()) {
            throw invalid("INVALID_DURATION", at, at + ": " + quote(text) + " is not a positive duration");
        }
        return per;
    }

    private static DeliveryChannel channel(String name, String at) {
        return term(DeliveryChannel.class, name, at, "UNKNOWN_CHANNEL", "channel");
    }

    private static <E extends Enum<E> & ConsentVocabulary> E term(Class<E> type, String name, String at,
                                                                   String reason, String kind) {
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

    private static JsonNode required(JsonNode object, String at, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            String fieldAt = child(at, field);
            throw invalid("FIELD_REQUIRED", fieldAt, fieldAt + " is required");
        }
        return value;
    }

    private static String text(JsonNode value, String at, String expected) {
        if (!value.isTextual()) {
            throw wrongType(value, at, expected);
        }
        return value.textValue();
    }

    private static void requireObject(JsonNode value, String at, String expected) {
        if (!value.isObject()) {
            throw wrongType(value, at, expected);
        }
    }

    private static void rejectUnknownFields(JsonNode object, String at, List<String> known) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!known.contains(field.getKey())) {
                throw unknownField(child(at, field.getKey()), known);
            }
        }
    }

    private static InvalidConsentInput unknownField(String at, List<String> known) {
        String allowed = String.join(", ", known);
        return new InvalidConsentInput("UNKNOWN_FIELD", unslashed(at),
                at + " is not a known field; known here: " + allowed, Map.of("allowed", allowed));
    }

    private static InvalidConsentInput wrongType(JsonNode value, String at, String expected) {
        return invalid("WRONG_TYPE", at, at + " must be " + expected + ", got " + typeOf(value));
    }

    private static InvalidConsentInput invalid(String reason, String at, String message) {
        return new InvalidConsentInput(reason, unslashed(at), message);
    }

    /** {@link InvalidConsentInput#field()} is a pointer without its leading slash. */
    private static String unslashed(String pointer) {
        return pointer.isEmpty() ? "" : pointer.substring(1);
    }

    /** RFC 6901: "~" and "/" inside a name are escaped. */
    private static String child(String pointer, String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    private static String typeOf(JsonNode value) {
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

    private static String quote(String value) {
        return "'" + (value.length() <= QUOTE_LIMIT ? value : value.substring(0, QUOTE_LIMIT) + "...") + "'";
    }

    /** Whole days as days (P7D), anything finer as Duration prints it (PT36H, PT0.5S). */
    private static String duration(Duration per) {
        if (per.getNano() == 0 && per.getSeconds() % SECONDS_PER_DAY == 0) {
            return "P" + per.getSeconds() / SECONDS_PER_DAY + "D";
        }
        return per.toString();
    }
}
