package io.kairos.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class BatchBodiesTest {

    private static final Instant NOW = Instant.parse("2025-05-01T12:00:00Z");
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    private static final Set<String> CHANNELS = Set.of("web", "mobile", "email", "social", "pos");
    private static final Set<String> EVENTS = Set.of("Product Viewed", "Product Added", "Order Completed");

    @Test
    void bodiesAreSegmentBatchesOfMessagesWithTheRequestedSize() {
        BatchBodies bodies = BatchBodies.generate(100, 1024, 100_000, NOW, new SplittableRandom(7));

        for (long request = 0; request < BatchBodies.TEMPLATES + 3; request++) {
            byte[] body = bodies.body(request);
            // The gateway refuses larger batch bodies.
            assertThat(body.length).isLessThanOrEqualTo(512_000);
            JsonObject document = new JsonObject(Buffer.buffer(body));
            assertThat(Instant.parse(document.getString("sentAt"))).isEqualTo(NOW);
            JsonArray batch = document.getJsonArray("batch");
            assertThat(batch).hasSize(100);
            for (int i = 0; i < batch.size(); i++) {
                assertSegmentMessage(batch.getJsonObject(i));
                assertThat(batch.getJsonObject(i).toBuffer().length()).as("encoded size").isEqualTo(1024);
            }
        }
    }

    @Test
    void otherEventSizesAreHitExactly() {
        BatchBodies bodies = BatchBodies.generate(10, 2048, 50, NOW, new SplittableRandom(3));

        JsonArray batch = new JsonObject(Buffer.buffer(bodies.body(0))).getJsonArray("batch");

        for (int i = 0; i < batch.size(); i++) {
            assertThat(batch.getJsonObject(i).toBuffer().length()).isEqualTo(2048);
        }
        assertThat(bodies.composition().minEventBytes()).isEqualTo(2048);
        assertThat(bodies.composition().maxEventBytes()).isEqualTo(2048);
    }

    @Test
    void everyMessageOfTheRunHasItsOwnMessageId() {
        BatchBodies bodies = BatchBodies.generate(50, 1024, 1000, NOW, new SplittableRandom(11));
        Set<String> messageIds = new HashSet<>();

        // Three rounds over the templates: a reused template must still carry new ids.
        int requests = 3 * BatchBodies.TEMPLATES;
        for (long request = 0; request < requests; request++) {
            for (JsonObject message : messages(bodies.body(request))) {
                messageIds.add(message.getString("messageId"));
            }
        }

        assertThat(messageIds).hasSize(requests * 50);
    }

    @Test
    void eventsAreSpreadOverTheProfilesAndAMessageNamesOneProfile() {
        BatchBodies bodies = BatchBodies.generate(100, 1024, 7, NOW, new SplittableRandom(5));
        Set<String> anonymousIds = new HashSet<>();

        for (long request = 0; request < 20; request++) {
            for (JsonObject message : messages(bodies.body(request))) {
                String anonymousId = message.getString("anonymousId");
                anonymousIds.add(anonymousId);
                long profile = Long.parseLong(anonymousId.substring(EventMix.ANONYMOUS_ID_PREFIX.length()), 16);
                if (message.containsKey("userId")) {
                    assertThat(message.getString("userId")).isEqualTo("user-" + profile);
                }
                if (message.getString("type").equals("identify")) {
                    assertThat(message.getJsonObject("traits").getString("email")).isEqualTo("user" + profile + "@example.com");
                }
            }
        }

        assertThat(anonymousIds).hasSize(7);
    }

    @Test
    void theMixHasEveryChannelAndEveryKindOfActivity() {
        BatchBodies.Composition mix = BatchBodies.generate(100, 1024, 100, NOW, new SplittableRandom(1)).composition();

        assertThat(mix.channels().keySet()).isEqualTo(CHANNELS);
        assertThat(mix.labels().keySet())
                .containsExactlyInAnyOrder("page", "screen", "identify", "Product Viewed", "Product Added", "Order Completed");
        // Web is the largest channel, in-store the smallest.
        assertThat(mix.channels().get("web")).isGreaterThan(mix.channels().get("mobile"));
        assertThat(mix.channels().get("pos")).isLessThan(mix.channels().get("email"));
    }

    private static void assertSegmentMessage(JsonObject message) {
        assertThat(message.fieldNames().iterator().next()).isEqualTo("messageId");
        assertThat(message.getString("messageId")).matches(UUID);
        assertThat(message.getString("anonymousId")).matches(UUID);
        assertThat(Instant.parse(message.getString("timestamp"))).isBetween(NOW.minusSeconds(5), NOW);
        JsonObject context = message.getJsonObject("context");
        assertThat(context.getString("channel")).isIn(CHANNELS);
        assertThat(context.getString("ip")).isNotBlank();
        assertThat(context.getString("timezone")).contains("/");
        switch (message.getString("type")) {
            case "track" -> {
                assertThat(message.getString("event")).isIn(EVENTS);
                assertThat(message.getJsonObject("properties")).isNotNull();
            }
            case "page" -> {
                assertThat(message.getString("name")).isNotBlank();
                assertThat(message.getJsonObject("properties").getString("url")).startsWith("https://");
            }
            case "screen" -> {
                assertThat(context.getString("channel")).isEqualTo("mobile");
                assertThat(message.getString("name")).isNotBlank();
            }
            case "identify" -> {
                assertThat(message.getString("userId")).matches("user-\\d{5}");
                assertThat(message.getJsonObject("traits").getString("email")).matches("user\\d{5}@example\\.com");
            }
            default -> throw new AssertionError("unexpected type in " + message.encode());
        }
        if (context.getString("channel").equals("pos")) {
            assertThat(message.getString("event", message.getString("type"))).isIn("Order Completed", "identify");
        }
    }

    private static List<JsonObject> messages(byte[] body) {
        JsonArray batch = new JsonObject(Buffer.buffer(body)).getJsonArray("batch");
        List<JsonObject> messages = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            messages.add(batch.getJsonObject(i));
        }
        return messages;
    }
}
