package io.kairos.gateway.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageAdmissionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2024-05-01T12:00:00Z");
    private static final IngestionSource SOURCE = new IngestionSource("acme", "src-1", "web");
    private static final Reception RECEPTION = new Reception(SOURCE, RECEIVED, "203.0.113.9", false);

    private final MessageAdmission admission = new MessageAdmission(1000, 5000, 4, MessageAdmissionTest::encode);

    @Test
    void completes_an_identify_the_way_segment_does() {
        AdmittedMessage message = admit(MessageType.IDENTIFY, """
                {"userId": "u1", "traits": {"email": "jane@example.com", "plan": "pro"}}""");

        assertThat(message.type()).isEqualTo(MessageType.IDENTIFY);
        assertThat(message.workspace()).isEqualTo("acme");
        assertThat(message.sourceId()).isEqualTo("src-1");
        assertThat(message.userId()).isEqualTo("u1");
        assertThat(message.anonymousId()).isNull();
        assertThat(message.partitionKey()).isEqualTo("acme:u1");
        assertThat(UUID.fromString(message.messageId())).isNotNull();
        assertThat(message.timestamp()).isEqualTo(RECEIVED);
        assertThat(message.receivedAt()).isEqualTo(RECEIVED);
        assertThat(message.channel()).isEqualTo("web");
        assertThat(message.payload())
                .containsEntry("type", "identify")
                .containsEntry("messageId", message.messageId())
                .containsEntry("receivedAt", "2024-05-01T12:00:00Z")
                .containsEntry("timestamp", "2024-05-01T12:00:00Z")
                .containsEntry("traits", Map.of("email", "jane@example.com", "plan", "pro"))
                .containsEntry("context", Map.of("channel", "web", "ip", "203.0.113.9"));
    }

    @Test
    void keeps_the_clients_message_id_and_takes_integer_ids_as_strings() {
        AdmittedMessage message = admit(MessageType.TRACK, """
                {"messageId": "m-1", "userId": 42, "anonymousId": "a-1", "event": "Order Completed"}""");

        assertThat(message.messageId()).isEqualTo("m-1");
        assertThat(message.userId()).isEqualTo("42");
        assertThat(message.payload()).containsEntry("userId", "42");
        assertThat(message.partitionKey()).isEqualTo("acme:42");
        assertThat(message.event()).isEqualTo("Order Completed");
    }

    @Test
    void an_anonymous_visitor_is_keyed_by_anonymous_id() {
        AdmittedMessage message = admit(MessageType.PAGE, """
                {"anonymousId": "a-1", "userId": "  ", "name": "Pricing"}""");

        assertThat(message.userId()).isNull();
        assertThat(message.payload()).doesNotContainKey("userId");
        assertThat(message.partitionKey()).isEqualTo("acme:a-1");
        assertThat(message.event()).isEqualTo("Pricing");
    }

    @Test
    void refuses_a_message_without_identity() {
        assertRefused(MessageType.IDENTIFY, """
                {"traits": {"plan": "pro"}}""", "IDENTITY_REQUIRED", "/userId");
        assertRefused(MessageType.TRACK, """
                {"userId": "", "anonymousId": null, "event": "x"}""", "IDENTITY_REQUIRED", "/userId");
    }

    @Test
    void refuses_identifiers_that_are_not_strings() {
        assertRefused(MessageType.IDENTIFY, """
                {"userId": {"id": 1}}""", "INVALID_FIELD_TYPE", "/userId");
        assertRefused(MessageType.IDENTIFY, """
                {"userId": "u", "anonymousId": 1.5}""", "INVALID_FIELD_TYPE", "/anonymousId");
    }

    @Test
    void track_needs_an_event_name() {
        assertRefused(MessageType.TRACK, """
                {"userId": "u1"}""", "EVENT_REQUIRED", "/event");
        assertRefused(MessageType.TRACK, """
                {"userId": "u1", "event": " "}""", "EVENT_REQUIRED", "/event");
        assertRefused(MessageType.TRACK, """
                {"userId": "u1", "event": 7}""", "INVALID_FIELD_TYPE", "/event");
    }

    @Test
    void alias_needs_previous_id_and_user_id() {
        assertRefused(MessageType.ALIAS, """
                {"userId": "u1"}""", "PREVIOUS_ID_REQUIRED", "/previousId");
        assertRefused(MessageType.ALIAS, """
                {"anonymousId": "a1", "previousId": "a1"}""", "USER_ID_REQUIRED", "/userId");

        AdmittedMessage alias = admit(MessageType.ALIAS, """
                {"userId": "u1", "previousId": "a1"}""");
        assertThat(alias.previousId()).isEqualTo("a1");
        assertThat(alias.partitionKey()).isEqualTo("acme:u1");
    }

    @Test
    void group_needs_a_group_id() {
        assertRefused(MessageType.GROUP, """
                {"userId": "u1", "traits": {}}""", "GROUP_ID_REQUIRED", "/groupId");

        assertThat(admit(MessageType.GROUP, """
                {"userId": "u1", "groupId": "g1"}""").groupId()).isEqualTo("g1");
    }

    @Test
    void corrects_device_clock_skew_with_sent_at() {
        // The device's clock is one hour behind; the event happened 5 s before it was sent.
        AdmittedMessage message = admit(MessageType.TRACK, """
                {"userId": "u1", "event": "x", "timestamp": "2024-05-01T11:00:00.000Z",
                 "sentAt": "2024-05-01T11:00:05.000Z"}""");

        assertThat(message.timestamp()).isEqualTo(Instant.parse("2024-05-01T11:59:55Z"));
        assertThat(message.payload())
                .containsEntry("timestamp", "2024-05-01T11:59:55Z")
                .containsEntry("originalTimestamp", "2024-05-01T11:00:00.000Z")
                .containsEntry("sentAt", "2024-05-01T11:00:05.000Z");
    }

    @Test
    void takes_a_timestamp_without_sent_at_as_is_and_prefers_original_timestamp() {
        assertThat(admit(MessageType.TRACK, """
                {"userId": "u1", "event": "x", "timestamp": "2023-01-01T08:00:00+02:00"}""").timestamp())
                .isEqualTo(Instant.parse("2023-01-01T06:00:00Z"));
        assertThat(admit(MessageType.TRACK, """
                {"userId": "u1", "event": "x", "originalTimestamp": "2024-05-01T11:00:00Z",
                 "timestamp": "2020-01-01T00:00:00Z", "sentAt": "2024-05-01T11:00:01Z"}""").timestamp())
                .isEqualTo(Instant.parse("2024-05-01T11:59:59Z"));
    }

    @Property
    void recovers_the_true_event_time_whatever_the_device_clock(
            @ForAll @LongRange(min = -864_000_000L, max = 864_000_000L) long skewMillis,
            @ForAll @LongRange(min = 0, max = 86_400_000L) long delayMillis) {
        Instant trueEventTime = RECEIVED.minusMillis(delayMillis);
        Instant deviceEventTime = trueEventTime.plusMillis(skewMillis);
        Instant deviceSentAt = RECEIVED.plusMillis(skewMillis);
        Map<String, Object> body = Map.of("userId", "u1", "event", "x",
                "timestamp", deviceEventTime.toString(), "sentAt", deviceSentAt.toString());

        AdmittedMessage message = admission.admit(MessageType.TRACK, body, 100, RECEPTION);

        assertThat(message.timestamp()).isEqualTo(trueEventTime);
    }

    @Test
    void refuses_timestamps_that_are_not_iso_8601_with_offset() {
        assertRefused(MessageType.TRACK, """
                {"userId": "u1", "event": "x", "timestamp": "yesterday"}""", "INVALID_TIMESTAMP", "/timestamp");
        assertRefused(MessageType.TRACK, """
                {"userId": "u1", "event": "x", "timestamp": "2024-05-01T11:00:00"}""", "INVALID_TIMESTAMP", "/timestamp");
        assertRefused(MessageType.TRACK, """
                {"userId": "u1", "event": "x", "timestamp": 1714561200000}""", "INVALID_TIMESTAMP", "/timestamp");
        assertRefused(MessageType.TRACK, """
                {"userId": "u1", "event": "x", "sentAt": "2024-13-01T00:00:00Z"}""", "INVALID_TIMESTAMP", "/sentAt");
    }

    @Test
    void keeps_the_clients_context_and_only_fills_what_is_missing() {
        AdmittedMessage message = admit(MessageType.TRACK, """
                {"userId": "u1", "event": "x",
                 "context": {"channel": " Mobile ", "ip": "198.51.100.1", "locale": "de-DE",
                             "campaign": {"source": "newsletter"}}}""");

        assertThat(message.channel()).isEqualTo("mobile");
        assertThat(message.payload().get("context")).isEqualTo(Map.of("channel", "mobile", "ip", "198.51.100.1",
                "locale", "de-DE", "campaign", Map.of("source", "newsletter")));
    }

    @Test
    void records_global_privacy_control() {
        Reception withGpc = new Reception(SOURCE, RECEIVED, null, true);

        AdmittedMessage message = admission.admit(MessageType.IDENTIFY, parse("""
                {"userId": "u1", "context": {"gpc": false}}"""), 50, withGpc);

        assertThat(message.payload().get("context")).isEqualTo(Map.of("gpc", true, "channel", "web"));
    }

    @Test
    void refuses_context_properties_traits_and_integrations_that_are_not_objects() {
        assertRefused(MessageType.TRACK, """
                {"userId": "u1", "event": "x", "properties": [1, 2]}""", "INVALID_FIELD_TYPE", "/properties");
        assertRefused(MessageType.IDENTIFY, """
                {"userId": "u1", "traits": "vip"}""", "INVALID_FIELD_TYPE", "/traits");
        assertRefused(MessageType.IDENTIFY, """
                {"userId": "u1", "integrations": true}""", "INVALID_FIELD_TYPE", "/integrations");
        assertRefused(MessageType.IDENTIFY, """
                {"userId": "u1", "context": "web"}""", "INVALID_FIELD_TYPE", "/context");
        assertRefused(MessageType.IDENTIFY, """
                {"userId": "u1", "context": {"channel": 3}}""", "INVALID_FIELD_TYPE", "/context/channel");
    }

    @Test
    void never_stores_the_write_key_and_does_not_touch_its_input() {
        Object input = parse("""
                {"writeKey": "secret", "userId": "u1", "event": "x", "type": "identify"}""");
        Object copy = parse("""
                {"writeKey": "secret", "userId": "u1", "event": "x", "type": "identify"}""");

        AdmittedMessage message = admission.admit(MessageType.TRACK, input, 50, RECEPTION);

        assertThat(message.payload()).doesNotContainKey("writeKey").containsEntry("type", "track");
        assertThat(input).isEqualTo(copy);
    }

    @Test
    void refuses_what_is_not_an_object_and_what_is_too_large() {
        assertThatThrownBy(() -> admission.admit(MessageType.TRACK, List.of(1), 5, RECEPTION))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.reason()).isEqualTo("NOT_AN_OBJECT");
                    assertThat(e.field()).isNull();
                });
        assertThatThrownBy(() -> admission.admit(MessageType.TRACK, parse("{\"userId\":\"u\",\"event\":\"x\"}"),
                1001, RECEPTION))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.reason()).isEqualTo("EVENT_TOO_LARGE");
                    assertThat(e.getMessage()).contains("1000").contains("1001");
                });
    }

    @Test
    void admits_a_batch_of_mixed_messages_in_order() {
        List<AdmittedMessage> messages = admitBatch("""
                {"batch": [
                  {"type": "identify", "userId": "u1", "traits": {"plan": "pro"}},
                  {"type": "track", "userId": "u1", "event": "Order Completed", "properties": {"revenue": 10}},
                  {"type": "page", "anonymousId": "a1", "name": "Home"}]}""");

        assertThat(messages).extracting(AdmittedMessage::type)
                .containsExactly(MessageType.IDENTIFY, MessageType.TRACK, MessageType.PAGE);
        assertThat(messages).extracting(AdmittedMessage::messageId).doesNotHaveDuplicates();
    }

    @Test
    void a_batch_shares_its_context_and_sent_at() {
        List<AdmittedMessage> messages = admitBatch("""
                {"sentAt": "2024-05-01T11:00:10Z", "context": {"channel": "pos", "library": {"name": "x"}},
                 "batch": [
                  {"type": "track", "userId": "u1", "event": "a", "timestamp": "2024-05-01T11:00:00Z"},
                  {"type": "track", "userId": "u1", "event": "b", "context": {"channel": "email"}}]}""");

        assertThat(messages.get(0).timestamp()).isEqualTo(Instant.parse("2024-05-01T11:59:50Z"));
        assertThat(messages.get(0).channel()).isEqualTo("pos");
        assertThat(messages.get(0).payload()).containsEntry("sentAt", "2024-05-01T11:00:10Z");
        assertThat(messages.get(1).channel()).isEqualTo("email");
        assertThat(messages.get(1).payload().get("context")).isEqualTo(Map.of("channel", "email",
                "library", Map.of("name", "x"), "ip", "203.0.113.9"));
    }

    @Test
    void names_the_offending_message_of_a_batch() {
        assertBatchRefused("""
                {"batch": [{"type": "identify", "userId": "u1"}, {"userId": "u1"}]}""",
                "TYPE_REQUIRED", "/batch/1/type");
        assertBatchRefused("""
                {"batch": [{"type": "purchase", "userId": "u1"}]}""", "UNKNOWN_TYPE", "/batch/0/type");
        assertBatchRefused("""
                {"batch": [{"type": "identify", "userId": "u1"}, {"type": "identify", "userId": "u2"}, "x"]}""",
                "NOT_AN_OBJECT", "/batch/2");
        assertBatchRefused("""
                {"batch": [{"type": "identify", "userId": "u1"}, {"type": "identify", "userId": "u2"},
                           {"type": "identify", "userId": "u3"}, {"type": "track", "event": "x"}]}""",
                "IDENTITY_REQUIRED", "/batch/3/userId");
        assertBatchRefused("{\"messages\": []}", "BATCH_REQUIRED", "/batch");
        assertBatchRefused("{\"batch\": []}", "EMPTY_BATCH", "/batch");
        assertBatchRefused("""
                {"sentAt": "soon", "batch": [{"type": "identify", "userId": "u1"}]}""", "INVALID_TIMESTAMP", "/sentAt");
    }

    @Test
    void limits_the_size_of_a_batch_and_of_each_message_in_it() {
        Object small = parse("{\"batch\": [{\"type\": \"identify\", \"userId\": \"u1\"}]}");
        assertThatThrownBy(() -> admission.admitBatch(small, 5001, RECEPTION))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.reason()).isEqualTo("BATCH_TOO_LARGE"));

        // The limit applies to the message as stored, the gateway's additions included.
        String body = "{\"batch\": [{\"type\": \"identify\", \"userId\": \"u1\"}, {\"type\": \"identify\", "
                + "\"userId\": \"u2\", \"traits\": {\"bio\": \"" + "x".repeat(900) + "\"}}]}";
        assertThatThrownBy(() -> admitBatch(body))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.reason()).isEqualTo("EVENT_TOO_LARGE");
                    assertThat(e.field()).isEqualTo("/batch/1");
                });
    }

    @Test
    void each_admitted_message_carries_its_stored_encoding() throws Exception {
        List<AdmittedMessage> messages = admitBatch("""
                {"batch": [{"type": "track", "userId": "u1", "event": "Order Completed", "properties": {"revenue": 12.5}},
                           {"type": "page", "anonymousId": "a1", "name": "Home"}]}""");

        for (AdmittedMessage message : messages) {
            assertThat(JSON.readValue(message.json(), Map.class)).isEqualTo(JSON.readValue(encode(message.payload()), Map.class));
            assertThat(JSON.readTree(message.json()).get("messageId").asText()).isEqualTo(message.messageId());
        }
        assertThat(JSON.readTree(messages.getFirst().json()).at("/properties/revenue").asDouble()).isEqualTo(12.5);
    }

    @Test
    void limits_the_number_of_messages_in_a_batch() {
        String four = "{\"type\": \"identify\", \"userId\": \"u1\"},".repeat(4);
        assertThat(admission.admitBatch(parse("{\"batch\": [" + four.substring(0, four.length() - 1) + "]}"),
                100, RECEPTION)).hasSize(4);
        assertBatchRefused("{\"batch\": [" + four + "{\"type\": \"identify\", \"userId\": \"u5\"}]}",
                "BATCH_TOO_MANY_MESSAGES", "/batch");
    }

    @Test
    void a_message_without_client_time_happened_when_it_was_received() {
        AdmittedMessage message = admit(MessageType.SCREEN, """
                {"anonymousId": "a1"}""");

        assertThat(Duration.between(message.timestamp(), message.receivedAt())).isZero();
        assertThat(message.event()).isNull();
    }

    private AdmittedMessage admit(MessageType type, String json) {
        return admission.admit(type, parse(json), json.length(), RECEPTION);
    }

    private List<AdmittedMessage> admitBatch(String json) {
        return admission.admitBatch(parse(json), json.length(), RECEPTION);
    }

    private void assertRefused(MessageType type, String json, String reason, String field) {
        assertThatThrownBy(() -> admit(type, json))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.field()).isEqualTo(field);
                });
    }

    private void assertBatchRefused(String json, String reason, String field) {
        assertThatThrownBy(() -> admitBatch(json))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.field()).isEqualTo(field);
                });
    }

    private static byte[] encode(Map<String, Object> message) {
        try {
            return JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
