package io.kairos.consent.domain;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.kairos.consent.domain.JsonReading.HH_MM;
import static io.kairos.consent.domain.JsonReading.child;
import static io.kairos.consent.domain.JsonReading.duration;
import static io.kairos.consent.domain.JsonReading.invalid;
import static io.kairos.consent.domain.JsonReading.positiveDuration;
import static io.kairos.consent.domain.JsonReading.quote;
import static io.kairos.consent.domain.JsonReading.rejectUnknownFields;
import static io.kairos.consent.domain.JsonReading.requireArray;
import static io.kairos.consent.domain.JsonReading.requireObject;
import static io.kairos.consent.domain.JsonReading.required;
import static io.kairos.consent.domain.JsonReading.term;
import static io.kairos.consent.domain.JsonReading.text;
import static io.kairos.consent.domain.JsonReading.timeOfDay;
import static io.kairos.consent.domain.JsonReading.timezone;
import static io.kairos.consent.domain.JsonReading.typeOf;
import static io.kairos.consent.domain.JsonReading.unknownField;
import static io.kairos.consent.domain.JsonReading.wrongType;

/**
 * Workspace policies as JSON (DESIGN.md, "Workspace policies"):
 * <pre>{"defaultTimezone": "America/New_York",
 *  "quietHours": {"sms": {"from": "21:00", "to": "08:00"}},
 *  "frequencyCaps": [{"channel": "email", "purpose": "marketing", "max": 3, "per": "P7D", "calendarDays": true}],
 *  "jurisdictions": {"US-CA": {"name": "California", "places": ["US-CA"], "optIn": ["sensitive"],
 *                              "expressConsent": ["sms"], "honoursGpc": true,
 *                              "quietHours": {"sms": [{"from": "21:00", "to": "08:00"}]},
 *                              "requestDeadline": "P45D"}},
 *  "defaultJurisdiction": "DEFAULT"}</pre>
 *
 * <p>Reading is strict: whatever is not understood is refused, never ignored, with the JSON
 * pointer of the first fault in document order ({@code ""} for the document itself). A top-level
 * field set to {@code null} goes back to its {@linkplain Policies#DEFAULTS default}, as a merge
 * patch removes a member; a channel of {@code quietHours} set to {@code null} loses its window,
 * and a jurisdiction set to {@code null} is removed. A jurisdiction that is named is replaced whole.
 */
public final class PoliciesJson {

    /** Far more than any real policy needs; bounds the work one request can ask for. */
    public static final int MAX_FREQUENCY_CAPS = 50;
    public static final int MAX_JURISDICTIONS = 100;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final List<String> FIELDS = List.of("defaultTimezone", "quietHours", "frequencyCaps",
            "jurisdictions", "defaultJurisdiction");
    private static final List<String> JURISDICTION_DOCUMENT_FIELDS = List.of("jurisdictions", "defaultJurisdiction");
    private static final List<String> WINDOW_FIELDS = List.of("from", "to");
    private static final List<String> LEGAL_WINDOW_FIELDS = List.of("from", "to", "days");
    private static final List<String> CAP_FIELDS = List.of("channel", "purpose", "max", "per", "calendarDays");
    private static final List<String> JURISDICTION_FIELDS = List.of("name", "places", "optIn", "expressConsent",
            "honoursGpc", "quietHours", "requestDeadline");
    private static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofDays(30);
    private static final int MAX_NAME_LENGTH = 256;

    private PoliciesJson() {
    }

    /** Parses and validates an update; throws {@link InvalidConsentInput} at the first fault. */
    public static PoliciesChange parseChange(byte[] json) {
        JsonNode root = JsonReading.object(json, "", "policies");
        Optional<ZoneId> timezone = Optional.empty();
        Map<DeliveryChannel, Optional<QuietHours>> quietHours = new EnumMap<>(DeliveryChannel.class);
        Optional<List<FrequencyCap>> caps = Optional.empty();
        Map<String, Optional<Jurisdiction>> jurisdictions = Map.of();
        boolean reseedJurisdictions = false;
        Optional<String> defaultJurisdiction = Optional.empty();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String at = child("", field.getKey());
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "defaultTimezone" -> timezone = Optional.of(
                        value.isNull() ? Policies.DEFAULTS.defaultTimezone() : timezone(value, at));
                case "quietHours" -> quietHours.putAll(value.isNull() ? defaultQuietHours() : quietHours(value, at));
                case "frequencyCaps" -> caps = Optional.of(
                        value.isNull() ? Policies.DEFAULTS.frequencyCaps() : frequencyCaps(value, at));
                case "jurisdictions" -> {
                    reseedJurisdictions = value.isNull();
                    jurisdictions = value.isNull() ? Map.of() : jurisdictions(value, at);
                }
                case "defaultJurisdiction" -> defaultJurisdiction = Optional.of(value.isNull()
                        ? Jurisdictions.SEEDED.defaultCode()
                        : jurisdictionCode(text(value, at, "a jurisdiction code such as DEFAULT"), at));
                default -> throw unknownField(at, FIELDS);
            }
        }
        return new PoliciesChange(timezone, quietHours, caps, jurisdictions, reseedJurisdictions, defaultJurisdiction);
    }

    /** The jurisdictions document Kairos is seeded with: {@code jurisdictions} and {@code defaultJurisdiction}, both required. */
    static Jurisdictions readJurisdictions(byte[] json) {
        JsonNode root = JsonReading.object(json, "", "policies");
        rejectUnknownFields(root, "", JURISDICTION_DOCUMENT_FIELDS);
        Map<String, Jurisdiction> byCode = new LinkedHashMap<>();
        jurisdictions(required(root, "", "jurisdictions"), "/jurisdictions")
                .forEach((code, jurisdiction) -> byCode.put(code, jurisdiction.orElseThrow()));
        String defaultCode = text(required(root, "", "defaultJurisdiction"), "/defaultJurisdiction", "a code");
        return new Jurisdictions(byCode, defaultCode);
    }

    /** The complete policies, every field present, quiet hours in channel order, jurisdictions by code. */
    public static byte[] write(Policies policies) {
        ObjectNode root = JSON.createObjectNode();
        root.put("defaultTimezone", policies.defaultTimezone().getId());
        ObjectNode quietHours = root.putObject("quietHours");
        policies.quietHours().forEach((channel, window) -> quietHours.set(channel.wireName(), written(window)));
        ArrayNode caps = root.putArray("frequencyCaps");
        for (FrequencyCap cap : policies.frequencyCaps()) {
            ObjectNode written = caps.addObject().put("channel", cap.channel().wireName());
            cap.purpose().ifPresent(purpose -> written.put("purpose", purpose.wireName()));
            written.put("max", cap.max()).put("per", duration(cap.per()));
            if (cap.calendarDays()) {
                written.put("calendarDays", true);
            }
        }
        ObjectNode jurisdictions = root.putObject("jurisdictions");
        policies.jurisdictions().byCode().forEach((code, jurisdiction) -> jurisdictions.set(code, written(jurisdiction)));
        root.put("defaultJurisdiction", policies.jurisdictions().defaultCode());
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Policies as {@link #write} stored them: the complete document, replacing rather than merging.
     * A document stored before jurisdictions existed has the seeded ones.
     */
    public static Policies readStored(String json) {
        PoliciesChange stored = parseChange(json.getBytes(StandardCharsets.UTF_8));
        Policies policies = Policies.NONE.with(new PoliciesChange(stored.defaultTimezone(), stored.quietHours(),
                stored.frequencyCaps()));
        if (stored.jurisdictions().isEmpty()) {
            return policies;
        }
        Map<String, Jurisdiction> byCode = new LinkedHashMap<>();
        stored.jurisdictions().forEach((code, jurisdiction) -> jurisdiction.ifPresent(j -> byCode.put(code, j)));
        return policies.withJurisdictions(new Jurisdictions(byCode,
                stored.defaultJurisdiction().orElse(Jurisdictions.SEEDED.defaultCode())));
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
                    : Optional.of(quietWindow(entry.getValue(), channelAt, WINDOW_FIELDS)));
        }
        return windows;
    }

    private static QuietHours quietWindow(JsonNode value, String at, List<String> fields) {
        requireObject(value, at, "{\"from\": \"HH:mm\", \"to\": \"HH:mm\"}, or null to remove the channel's quiet hours");
        rejectUnknownFields(value, at, fields);
        LocalTime from = timeOfDay(required(value, at, "from"), child(at, "from"));
        LocalTime to = timeOfDay(required(value, at, "to"), child(at, "to"));
        if (from.equals(to)) {
            throw invalid("EMPTY_QUIET_HOURS", at, at + ": from and to are both " + HH_MM.format(from)
                    + "; a window needs two different times (set the channel to null for no quiet hours)");
        }
        JsonNode days = value.get("days");
        if (days == null || days.isNull()) {
            return new QuietHours(from, to);
        }
        return new QuietHours(from, to, days(days, child(at, "days")));
    }

    private static Set<DayOfWeek> days(JsonNode value, String at) {
        requireArray(value, at, "an array of the days the window starts on, such as [\"saturday\"]");
        if (value.isEmpty()) {
            throw invalid("NO_DAYS", at, at + ": a window starts on at least one day; leave days out for every day");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (int i = 0; i < value.size(); i++) {
            String dayAt = at + "/" + i;
            String name = text(value.get(i), dayAt, "a day of the week such as saturday");
            DayOfWeek day = Arrays.stream(DayOfWeek.values())
                    .filter(d -> d.name().toLowerCase(Locale.ROOT).equals(name)).findFirst()
                    .orElseThrow(() -> invalid("INVALID_DAY", dayAt, dayAt + ": " + quote(name)
                            + " is not a day of the week in lower case, such as saturday"));
            days.add(day);
        }
        return days;
    }

    private static List<FrequencyCap> frequencyCaps(JsonNode value, String at) {
        requireArray(value, at, "an array of {\"channel\", \"purpose\", \"max\", \"per\"}");
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
        Duration per = positiveDuration(required(value, at, "per"), child(at, "per"));
        boolean calendarDays = false;
        JsonNode calendar = value.get("calendarDays");
        if (calendar != null && !calendar.isNull()) {
            if (!calendar.isBoolean()) {
                throw wrongType(calendar, child(at, "calendarDays"), "true or false");
            }
            calendarDays = calendar.booleanValue();
        }
        if (calendarDays && per.toSeconds() % 86_400 != 0) {
            throw invalid("INVALID_DURATION", child(at, "per"), child(at, "per") + ": a cap in calendar days needs "
                    + "whole days such as \"P1D\" or \"P7D\", got " + quote(value.get("per").asText()));
        }
        return new FrequencyCap(channel, purpose, max, per, calendarDays);
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

    private static DeliveryChannel channel(String name, String at) {
        return term(DeliveryChannel.class, name, at, "UNKNOWN_CHANNEL", "channel");
    }

    private static Map<String, Optional<Jurisdiction>> jurisdictions(JsonNode value, String at) {
        requireObject(value, at, "an object of jurisdiction code -> jurisdiction, or null for the seeded ones");
        if (value.size() > MAX_JURISDICTIONS) {
            throw invalid("TOO_MANY_JURISDICTIONS", at,
                    at + ": " + value.size() + " jurisdictions; at most " + MAX_JURISDICTIONS + " are allowed");
        }
        Map<String, Optional<Jurisdiction>> jurisdictions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            String codeAt = child(at, entry.getKey());
            String code = jurisdictionCode(entry.getKey(), codeAt);
            jurisdictions.put(code, entry.getValue().isNull() ? Optional.empty()
                    : Optional.of(jurisdiction(code, entry.getValue(), codeAt)));
        }
        return jurisdictions;
    }

    private static String jurisdictionCode(String code, String at) {
        if (!Jurisdiction.CODE.matcher(code).matches()) {
            throw invalid("INVALID_JURISDICTION_CODE", at, at + ": " + quote(code)
                    + " is not a jurisdiction code: upper-case letters, digits, '-' and '_', such as US-CA, at most 32");
        }
        return code;
    }

    private static Jurisdiction jurisdiction(String code, JsonNode value, String at) {
        requireObject(value, at, "a jurisdiction {name, places, optIn, expressConsent, honoursGpc, quietHours, "
                + "requestDeadline}, or null to remove it");
        rejectUnknownFields(value, at, JURISDICTION_FIELDS);
        String nameAt = child(at, "name");
        String name = text(required(value, at, "name"), nameAt, "a description such as \"California (CCPA)\"");
        if (name.length() > MAX_NAME_LENGTH) {
            throw invalid("FIELD_TOO_LONG", nameAt, nameAt + " is longer than " + MAX_NAME_LENGTH + " characters");
        }
        Set<String> places = new LinkedHashSet<>();
        String placesAt = child(at, "places");
        JsonNode placeList = required(value, at, "places");
        requireArray(placeList, placesAt, "an array of ISO 3166 codes such as [\"US-CA\"] or [\"DE\", \"FR\"]");
        for (int i = 0; i < placeList.size(); i++) {
            String placeAt = placesAt + "/" + i;
            String place = text(placeList.get(i), placeAt, "an ISO 3166 code such as US or US-CA");
            if (!Jurisdiction.PLACE.matcher(place).matches()) {
                throw invalid("INVALID_PLACE", placeAt, placeAt + ": " + quote(place)
                        + " is not an ISO 3166 country (US) or subdivision (US-CA) code");
            }
            places.add(place);
        }
        Set<Purpose> optIn = terms(Purpose.class, value.get("optIn"), child(at, "optIn"), "UNKNOWN_PURPOSE", "purpose");
        Set<Channel> expressConsent = terms(Channel.class, value.get("expressConsent"), child(at, "expressConsent"),
                "UNKNOWN_CHANNEL", "channel");
        boolean honoursGpc = false;
        JsonNode gpc = value.get("honoursGpc");
        if (gpc != null && !gpc.isNull()) {
            if (!gpc.isBoolean()) {
                throw wrongType(gpc, child(at, "honoursGpc"), "true or false");
            }
            honoursGpc = gpc.booleanValue();
        }
        Map<DeliveryChannel, List<QuietHours>> quietHours = new EnumMap<>(DeliveryChannel.class);
        JsonNode windows = value.get("quietHours");
        if (windows != null && !windows.isNull()) {
            String windowsAt = child(at, "quietHours");
            requireObject(windows, windowsAt, "an object of channel -> [{\"from\": \"HH:mm\", \"to\": \"HH:mm\"}]");
            for (Map.Entry<String, JsonNode> entry : windows.properties()) {
                String channelAt = child(windowsAt, entry.getKey());
                DeliveryChannel channel = channel(entry.getKey(), channelAt);
                requireArray(entry.getValue(), channelAt, "an array of {\"from\", \"to\", \"days\"} windows");
                List<QuietHours> list = new ArrayList<>();
                for (int i = 0; i < entry.getValue().size(); i++) {
                    list.add(quietWindow(entry.getValue().get(i), channelAt + "/" + i, LEGAL_WINDOW_FIELDS));
                }
                quietHours.put(channel, list);
            }
        }
        Duration deadline = DEFAULT_REQUEST_DEADLINE;
        JsonNode deadlineValue = value.get("requestDeadline");
        if (deadlineValue != null && !deadlineValue.isNull()) {
            deadline = positiveDuration(deadlineValue, child(at, "requestDeadline"));
        }
        return new Jurisdiction(code, name, places, optIn, expressConsent, honoursGpc, quietHours, deadline);
    }

    private static <E extends Enum<E> & ConsentVocabulary> Set<E> terms(Class<E> type, JsonNode value, String at,
                                                                        String reason, String kind) {
        Set<E> terms = EnumSet.noneOf(type);
        if (value == null || value.isNull()) {
            return terms;
        }
        requireArray(value, at, "an array of " + kind + " names");
        for (int i = 0; i < value.size(); i++) {
            String termAt = at + "/" + i;
            terms.add(term(type, text(value.get(i), termAt, "a " + kind + " name"), termAt, reason, kind));
        }
        return terms;
    }

    private static ObjectNode written(Jurisdiction jurisdiction) {
        ObjectNode node = JSON.createObjectNode().put("name", jurisdiction.name());
        ArrayNode places = node.putArray("places");
        jurisdiction.places().stream().sorted().forEach(places::add);
        ArrayNode optIn = node.putArray("optIn");
        jurisdiction.optIn().forEach(purpose -> optIn.add(purpose.wireName()));
        ArrayNode express = node.putArray("expressConsent");
        jurisdiction.expressConsent().forEach(channel -> express.add(channel.wireName()));
        node.put("honoursGpc", jurisdiction.honoursGpc());
        ObjectNode quietHours = node.putObject("quietHours");
        jurisdiction.quietHours().forEach((channel, windows) -> {
            ArrayNode list = quietHours.putArray(channel.wireName());
            windows.forEach(window -> list.add(written(window)));
        });
        node.put("requestDeadline", duration(jurisdiction.requestDeadline()));
        return node;
    }

    private static ObjectNode written(QuietHours window) {
        ObjectNode node = JSON.createObjectNode()
                .put("from", HH_MM.format(window.from()))
                .put("to", HH_MM.format(window.to()));
        if (!window.everyDay()) {
            ArrayNode days = node.putArray("days");
            window.days().forEach(day -> days.add(day.name().toLowerCase(Locale.ROOT)));
        }
        return node;
    }
}
