package io.kairos.trigger.domain;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns the trigger JSON of DESIGN.md, given as a plain JSON tree (Map, List, String, Number,
 * Boolean, null), into a {@link TriggerDefinition}. The first problem in document order is
 * reported with its JSON pointer; nothing is guessed or silently dropped.
 */
public final class TriggerDefinitionParser {

    public static final int MAX_NAME_LENGTH = 200;

    /** Parts of the trigger language that later issues implement; accepting them now would be a lie. */
    /** The longest a firing may wait: waits are timers in PostgreSQL, not a place to park messages for ever. */
    public static final Duration MAX_WAIT = Duration.ofDays(90);

    /** The most messages a cap may allow. */
    public static final int MAX_CAP = 10_000;

    /** The longest oncePer or cap window: the delivery log it is counted in is kept about as long at most. */
    public static final Duration MAX_REENTRY_WINDOW = Duration.ofDays(3650);

    /** The purposes consent-service keeps a ledger for. */
    public static final Set<String> PURPOSES =
            Set.of("analytics", "personalization", "marketing", "sale_share", "sensitive");

    private static final List<String> ENTRY_KINDS = List.of(Entry.EVENT, Entry.SEGMENT_ENTERED, Entry.SEGMENT_EXITED);

    private final TemplateSyntax templates;

    public TriggerDefinitionParser(TemplateSyntax templates) {
        this.templates = templates;
    }

    public TriggerDefinition parse(Object document) {
        Map<String, Object> root = object(document, "", "the trigger definition");
        checkKeys(root, "", Set.of("name", "when", "delay", "at", "unless", "audience", "cancelOnAudienceExit",
                "respectQuietHours", "reentry", "frequencyCap", "action"));
        String name = text(root, "name", "");
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidDocument("TOO_LONG", "/name",
                    "name must be at most " + MAX_NAME_LENGTH + " characters, got " + name.length());
        }
        Entry when = entry(required(root, "when", ""), "/when");
        Duration delay = root.get("delay") == null ? Duration.ZERO : wait(root.get("delay"), "/delay", "delay");
        Optional<LocalTime> at = root.get("at") == null ? Optional.empty() : Optional.of(timeOfDay(root.get("at"), "/at"));
        Optional<TriggerDefinition.Unless> unless = root.get("unless") == null
                ? Optional.empty() : Optional.of(unless(root.get("unless"), "/unless"));
        if (unless.isPresent() && when instanceof Entry.OnEvent onEvent && onEvent.event().equals(unless.get().event())) {
            throw new InvalidDocument("CONFLICTING_FIELDS", "/unless/event", "the entry event \""
                    + onEvent.event() + "\" cannot cancel its own wait; to start the wait again on each one, "
                    + "set unless.restartOnEntry");
        }
        Optional<TriggerDefinition.Audience> audience = audience(root);
        boolean respectQuietHours = true;
        if (root.get("respectQuietHours") != null) {
            if (!(root.get("respectQuietHours") instanceof Boolean flag)) {
                throw wrongType("/respectQuietHours", "respectQuietHours", "true or false", root.get("respectQuietHours"));
            }
            respectQuietHours = flag;
        }
        TriggerDefinition.Reentry reentry = root.get("reentry") == null
                ? new TriggerDefinition.Reentry.Always() : reentry(root.get("reentry"), "/reentry");
        Optional<FrequencyCap> cap = root.get("frequencyCap") == null
                ? Optional.empty() : Optional.of(frequencyCap(root.get("frequencyCap"), "/frequencyCap"));
        Action action = action(required(root, "action", ""), "/action");
        return new TriggerDefinition(name, when, delay, at, unless, audience, respectQuietHours, reentry, cap, action);
    }

    /** A segment reference, the one audience condition there is so far; cancelOnAudienceExit needs it. */
    private static Optional<TriggerDefinition.Audience> audience(Map<String, Object> root) {
        boolean cancelOnExit = false;
        if (root.get("cancelOnAudienceExit") != null) {
            if (!(root.get("cancelOnAudienceExit") instanceof Boolean flag)) {
                throw wrongType("/cancelOnAudienceExit", "cancelOnAudienceExit", "true or false", root.get("cancelOnAudienceExit"));
            }
            cancelOnExit = flag;
        }
        if (root.get("audience") == null) {
            if (cancelOnExit) {
                throw new InvalidDocument("MISSING_FIELD", "/audience", "cancelOnAudienceExit needs an audience");
            }
            return Optional.empty();
        }
        Map<String, Object> audience = object(root.get("audience"), "/audience", "audience");
        if (!audience.containsKey("segment") || audience.size() > 1) {
            String other = audience.keySet().stream().filter(key -> !key.equals("segment")).findFirst().orElse("segment");
            throw new InvalidDocument("UNSUPPORTED_AUDIENCE", child("/audience", other),
                    "an audience is a segment reference, {\"segment\": \"<segment id>\"}; define other conditions as a "
                            + "segment and reference it");
        }
        return Optional.of(new TriggerDefinition.Audience(text(audience, "segment", "/audience"), cancelOnExit));
    }

    /** "09:00" or "09:00:30": a local time of day. */
    private static LocalTime timeOfDay(Object node, String at) {
        if (node instanceof String text && text.matches("\\d{2}:\\d{2}(:\\d{2})?")) {
            try {
                return LocalTime.parse(text);
            } catch (DateTimeParseException ignored) {
                // reported below
            }
        }
        throw new InvalidDocument("INVALID_TIME", at, "at needs a local time of day such as \"09:00\", got "
                + (node instanceof String text ? "\"" + text + "\"" : jsonType(node)));
    }

    private static FrequencyCap frequencyCap(Object node, String at) {
        Map<String, Object> cap = object(node, at, "frequencyCap");
        checkKeys(cap, at, Set.of("max", "per", "calendarDays"));
        Object max = required(cap, "max", at);
        if (!(max instanceof Integer || max instanceof Long) || ((Number) max).longValue() < 1
                || ((Number) max).longValue() > MAX_CAP) {
            throw new InvalidDocument("INVALID_CAP", child(at, "max"),
                    "max must be a whole number from 1 to " + MAX_CAP + ", got " + (max instanceof Number ? max : jsonType(max)));
        }
        Duration per = positiveDuration(required(cap, "per", at), child(at, "per"), "per", MAX_REENTRY_WINDOW);
        boolean calendarDays = false;
        if (cap.get("calendarDays") != null) {
            if (!(cap.get("calendarDays") instanceof Boolean flag)) {
                throw wrongType(child(at, "calendarDays"), "calendarDays", "true or false", cap.get("calendarDays"));
            }
            calendarDays = flag;
        }
        if (calendarDays && per.toSeconds() % 86_400 != 0) {
            throw new InvalidDocument("INVALID_DURATION", child(at, "per"),
                    "a cap in calendar days needs whole days such as \"P1D\" or \"P7D\", got " + cap.get("per"));
        }
        return new FrequencyCap(((Number) max).intValue(), per, calendarDays, new FrequencyCap.Scope.OwnTrigger());
    }

    private static TriggerDefinition.Reentry reentry(Object node, String at) {
        Map<String, Object> reentry = object(node, at, "reentry");
        checkKeys(reentry, at, Set.of("policy", "window"));
        String policy = text(reentry, "policy", at);
        TriggerDefinition.Reentry parsed = switch (policy) {
            case "always" -> new TriggerDefinition.Reentry.Always();
            case "once" -> new TriggerDefinition.Reentry.Once();
            case "oncePer" -> new TriggerDefinition.Reentry.OncePer(
                    positiveDuration(required(reentry, "window", at), child(at, "window"), "window", MAX_REENTRY_WINDOW));
            default -> throw new InvalidDocument("UNKNOWN_POLICY", child(at, "policy"),
                    "unknown re-entry policy \"" + policy + "\"; use always, once or oncePer");
        };
        if (!(parsed instanceof TriggerDefinition.Reentry.OncePer) && reentry.containsKey("window")) {
            throw new InvalidDocument("CONFLICTING_FIELDS", child(at, "window"),
                    "window applies to the oncePer policy only, not to " + policy);
        }
        return parsed;
    }

    private static TriggerDefinition.Unless unless(Object node, String at) {
        Map<String, Object> unless = object(node, at, "unless");
        checkKeys(unless, at, Set.of("event", "within", "restartOnEntry"));
        String event = text(unless, "event", at);
        Duration within = wait(required(unless, "within", at), child(at, "within"), "within");
        boolean restart = false;
        if (unless.get("restartOnEntry") != null) {
            if (!(unless.get("restartOnEntry") instanceof Boolean flag)) {
                throw wrongType(child(at, "restartOnEntry"), "restartOnEntry", "true or false", unless.get("restartOnEntry"));
            }
            restart = flag;
        }
        return new TriggerDefinition.Unless(event, within, restart);
    }

    /** A positive ISO-8601 duration of at most {@link #MAX_WAIT}. */
    private static Duration wait(Object node, String at, String field) {
        return positiveDuration(node, at, field, MAX_WAIT);
    }

    private static Duration positiveDuration(Object node, String at, String field, Duration max) {
        Duration wait = node instanceof String text ? duration(text) : null;
        if (wait == null || wait.isNegative() || wait.isZero()) {
            throw new InvalidDocument("INVALID_DURATION", at,
                    field + " needs a positive ISO-8601 duration such as \"PT30M\" or \"P1D\", got " + (node instanceof String text ? "\"" + text + "\"" : jsonType(node)));
        }
        if (wait.compareTo(max) > 0) {
            throw new InvalidDocument("DURATION_TOO_LONG", at,
                    field + " must be at most " + max.toDays() + " days, got " + node);
        }
        return wait;
    }

    private Entry entry(Object node, String at) {
        Map<String, Object> when = object(node, at, "when");
        checkKeys(when, at, Set.of(Entry.EVENT, "where", Entry.SEGMENT_ENTERED, Entry.SEGMENT_EXITED));
        List<String> kinds = when.keySet().stream().filter(ENTRY_KINDS::contains).toList();
        if (kinds.isEmpty()) {
            throw new InvalidDocument("MISSING_FIELD", at,
                    "when needs one of \"event\", \"segmentEntered\" or \"segmentExited\"");
        }
        if (kinds.size() > 1) {
            throw new InvalidDocument("CONFLICTING_FIELDS", child(at, kinds.get(1)),
                    "when takes exactly one of \"event\", \"segmentEntered\" or \"segmentExited\"; found "
                            + String.join(" and ", kinds));
        }
        String kind = kinds.getFirst();
        String key = text(when, kind, at);
        return switch (kind) {
            case Entry.EVENT -> new Entry.OnEvent(key, where(when.get("where"), child(at, "where")));
            case Entry.SEGMENT_ENTERED -> segmentEntry(when, at, new Entry.OnSegmentEntered(key));
            default -> segmentEntry(when, at, new Entry.OnSegmentExited(key));
        };
    }

    private static Entry segmentEntry(Map<String, Object> when, String at, Entry entry) {
        if (when.containsKey("where")) {
            throw new InvalidDocument("CONFLICTING_FIELDS", child(at, "where"),
                    "where filters apply to an \"event\" entry only, not to " + entry.kind());
        }
        return entry;
    }

    private static List<PropertyFilter> where(Object node, String at) {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof List<?> items)) {
            throw wrongType(at, "where", "an array of filters", node);
        }
        List<PropertyFilter> filters = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            filters.add(filter(items.get(i), at + "/" + i));
        }
        return filters;
    }

    private static PropertyFilter filter(Object node, String at) {
        Map<String, Object> filter = object(node, at, "a where filter");
        Operator operator = null;
        for (String key : filter.keySet()) {
            if (key.equals("property")) {
                continue;
            }
            if (key.equals("context")) {
                throw new InvalidDocument("UNSUPPORTED_FIELD", child(at, key),
                        "context filters are not supported in triggers yet; filter on an event property");
            }
            Operator candidate = Operator.fromWireName(key).orElseThrow(() -> new InvalidDocument(
                    "UNKNOWN_OPERATOR", child(at, key), "unknown operator \"" + key + "\"; use one of "
                    + String.join(", ", Stream.of(Operator.values()).map(Operator::wireName).toList())));
            if (operator != null) {
                throw new InvalidDocument("MULTIPLE_OPERATORS", child(at, key),
                        "a filter takes exactly one operator; found " + operator.wireName() + " and " + key);
            }
            operator = candidate;
        }
        String property = text(filter, "property", at);
        if (operator == null) {
            throw new InvalidDocument("MISSING_OPERATOR", at,
                    "the filter on \"" + property + "\" needs an operator such as \"eq\"");
        }
        String operandAt = child(at, operator.wireName());
        return new PropertyFilter(property, operator, operand(operator, filter.get(operator.wireName()), operandAt));
    }

    private static Object operand(Operator operator, Object value, String at) {
        String op = operator.wireName();
        return switch (operator) {
            case EQ, NEQ, CONTAINS -> scalar(value, at, op);
            case GT, GTE, LT, LTE -> {
                if (!(value instanceof Number number)) {
                    throw invalidOperand(at, op + " needs a number", value);
                }
                yield new BigDecimal(number.toString());
            }
            case IN -> {
                if (!(value instanceof List<?> candidates) || candidates.isEmpty()) {
                    throw invalidOperand(at, "in needs a non-empty array of values", value);
                }
                List<Object> checked = new ArrayList<>();
                for (int i = 0; i < candidates.size(); i++) {
                    checked.add(scalar(candidates.get(i), at + "/" + i, "in"));
                }
                yield List.copyOf(checked);
            }
            case STARTS_WITH -> {
                if (!(value instanceof String prefix)) {
                    throw invalidOperand(at, "startsWith needs a string", value);
                }
                yield prefix;
            }
            case EXISTS -> {
                if (!(value instanceof Boolean flag)) {
                    throw invalidOperand(at, "exists needs true or false", value);
                }
                yield flag;
            }
            case WITHIN_LAST -> {
                Duration window = value instanceof String text ? duration(text) : null;
                if (window == null || window.isNegative() || window.isZero()) {
                    throw invalidOperand(at,
                            "withinLast needs a positive ISO-8601 duration such as \"P7D\" or \"PT30M\"", value);
                }
                yield window;
            }
            case BEFORE, AFTER -> {
                Instant instant = PropertyFilter.instant(value instanceof String ? value : null);
                if (instant == null) {
                    throw invalidOperand(at,
                            op + " needs an ISO-8601 date-time such as \"2025-01-31T00:00:00Z\"", value);
                }
                yield instant;
            }
        };
    }

    private static Object scalar(Object value, String at, String op) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw invalidOperand(at, op + " compares with a single value (string, number, boolean or null)", value);
        }
        return value instanceof Number number ? new BigDecimal(number.toString()) : value;
    }

    private static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private Action action(Object node, String at) {
        Map<String, Object> action = object(node, at, "action");
        checkKeys(action, at, Set.of("channel", "purpose", "webhook", "kafka", "template"));
        String channelName = text(action, "channel", at);
        Channel channel = Channel.fromWireName(channelName).orElseThrow(() -> new InvalidDocument(
                "UNKNOWN_CHANNEL", child(at, "channel"), "unknown channel \"" + channelName + "\"; use one of "
                + String.join(", ", Stream.of(Channel.values()).map(Channel::wireName).toList())));
        String purpose = text(action, "purpose", at);
        if (!PURPOSES.contains(purpose)) {
            throw new InvalidDocument("UNKNOWN_PURPOSE", child(at, "purpose"), "unknown purpose \""
                    + purpose + "\"; use one of " + String.join(", ", PURPOSES.stream().sorted().toList()));
        }
        if (channel != Channel.KAFKA && action.containsKey("kafka")) {
            throw new InvalidDocument("CONFLICTING_FIELDS", child(at, "kafka"),
                    "kafka applies to the kafka channel only, not to " + channel.wireName());
        }
        Action.Webhook webhook;
        if (channel == Channel.KAFKA) {
            if (action.containsKey("webhook")) {
                throw new InvalidDocument("CONFLICTING_FIELDS", child(at, "webhook"),
                        "a kafka action is published to its topic and takes no webhook");
            }
            Action.MessageTemplate template = template(required(action, "template", at), child(at, "template"));
            return new Action(channel, purpose, null, kafkaTopic(required(action, "kafka", at), child(at, "kafka")), template);
        }
        if (channel.publishedAsAction()) {
            if (action.containsKey("webhook")) {
                throw new InvalidDocument("CONFLICTING_FIELDS", child(at, "webhook"), "an "
                        + channel.wireName() + " action is published on kairos.actions and takes no webhook");
            }
            webhook = null;
        } else if (channel == Channel.WEBHOOK || action.get("webhook") != null) {
            webhook = webhook(required(action, "webhook", at), child(at, "webhook"));
        } else {
            // email, sms and push without a webhook of their own go through the workspace's provider.
            webhook = null;
        }
        Action.MessageTemplate template = template(required(action, "template", at), child(at, "template"));
        return new Action(channel, purpose, webhook, template);
    }

    /** {"topic": "..."}: a legal Kafka topic name outside Kairos's own kairos.* topics. */
    private static String kafkaTopic(Object node, String at) {
        Map<String, Object> kafka = object(node, at, "kafka");
        checkKeys(kafka, at, Set.of("topic"));
        String topic = text(kafka, "topic", at);
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}") || topic.equals(".") || topic.equals("..")) {
            throw new InvalidDocument("INVALID_TOPIC", child(at, "topic"),
                    "topic must be 1 to 249 letters, digits, '.', '_' or '-', got \"" + topic + "\"");
        }
        if (topic.startsWith("kairos.")) {
            throw new InvalidDocument("RESERVED_TOPIC", child(at, "topic"),
                    "kairos.* topics are Kairos's own; publish to a topic of yours, got \"" + topic + "\"");
        }
        return topic;
    }

    private static Action.Webhook webhook(Object node, String at) {
        Map<String, Object> webhook = object(node, at, "webhook");
        checkKeys(webhook, at, Set.of("url", "secret"));
        String url = text(webhook, "url", at);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidDocument("INVALID_URL", child(at, "url"),
                    "url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new InvalidDocument("INVALID_URL", child(at, "url"),
                    "url must be an absolute http or https URL with a host, got \"" + url + "\"");
        }
        String secret = text(webhook, "secret", at);
        if (secret.equals(SecretRedaction.MASK)) {
            throw new InvalidDocument("INVALID_SECRET", child(at, "secret"), "\"" + SecretRedaction.MASK
                    + "\" is how secrets are shown, not a secret; send the real one");
        }
        return new Action.Webhook(uri, secret);
    }

    private Action.MessageTemplate template(Object node, String at) {
        Map<String, Object> template = object(node, at, "template");
        checkKeys(template, at, Set.of("subject", "body"));
        String subject = null;
        if (template.containsKey("subject")) {
            if (!(template.get("subject") instanceof String text)) {
                throw wrongType(child(at, "subject"), "subject", "a string", template.get("subject"));
            }
            subject = checkedTemplate(text, child(at, "subject"));
        }
        String body = checkedTemplate(text(template, "body", at), child(at, "body"));
        return new Action.MessageTemplate(subject, body);
    }

    private String checkedTemplate(String source, String at) {
        templates.problemIn(source).ifPresent(problem -> {
            throw new InvalidDocument("INVALID_TEMPLATE", at, "the template does not parse: " + problem);
        });
        return source;
    }

    /** Unknown keys are errors, so a typo ("chanel") is never silently ignored. */
    private static void checkKeys(Map<String, Object> object, String at, Set<String> known) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidDocument("UNKNOWN_FIELD", child(at, key), "unknown field \"" + key
                        + "\"; expected " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    private static Object required(Map<String, Object> object, String key, String at) {
        if (!object.containsKey(key) || object.get(key) == null) {
            throw new InvalidDocument("MISSING_FIELD", child(at, key), key + " is required");
        }
        return object.get(key);
    }

    private static String text(Map<String, Object> object, String key, String at) {
        Object value = required(object, key, at);
        if (!(value instanceof String text)) {
            throw wrongType(child(at, key), key, "a string", value);
        }
        if (text.isBlank()) {
            throw new InvalidDocument("EMPTY_VALUE", child(at, key), key + " must not be blank");
        }
        return text;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object node, String at, String what) {
        if (!(node instanceof Map<?, ?> map)) {
            throw wrongType(at, what, "a JSON object", node);
        }
        return (Map<String, Object>) map;
    }

    private static InvalidDocument wrongType(String at, String what, String expected, Object actual) {
        return new InvalidDocument("WRONG_TYPE", at,
                what + " must be " + expected + ", got " + jsonType(actual));
    }

    private static InvalidDocument invalidOperand(String at, String message, Object actual) {
        return new InvalidDocument("INVALID_OPERAND", at, message + ", got " + jsonType(actual));
    }

    private static String jsonType(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> ignored -> "an object";
            case List<?> ignored -> "an array";
            case String ignored -> "a string";
            case Number ignored -> "a number";
            case Boolean ignored -> "a boolean";
            default -> value.getClass().getSimpleName();
        };
    }

    /** Appends one reference token to a JSON pointer, escaping "~" and "/" as RFC 6901 requires. */
    static String child(String pointer, String key) {
        return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
    }
}
