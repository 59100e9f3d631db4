package io.kairos.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.ScreenMessage;
import com.segment.analytics.messages.TrackMessage;
import io.kairos.api.events.RawEvent;
import io.kairos.gateway.AdminApi;
import io.kairos.gateway.OtherServicesDown;
import io.kairos.gateway.RawEventTap;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Segment's own Java library, unchanged except for its endpoint, delivers every call type and
 * its batches (gzipped, to /v1/import/) through the gateway onto kairos.events.raw.
 */
@QuarkusTest
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
class SegmentJavaLibraryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Queue<Message> delivered = new ConcurrentLinkedQueue<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private AdminApi.Source source;
    private RawEventTap tap;
    private Analytics analytics;

    @BeforeEach
    void setUp() {
        source = AdminApi.newSource(AdminApi.newWorkspace(), "server");
        tap = new RawEventTap();
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        analytics = Analytics.builder(source.writeKey())
                .endpoint("http://127.0.0.1:" + port)
                .flushQueueSize(50)
                .flushInterval(1, TimeUnit.SECONDS)
                .retries(1)
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                        delivered.add(message);
                    }

                    @Override
                    public void failure(Message message, Throwable throwable) {
                        failures.add(throwable);
                    }
                })
                .build();
    }

    @AfterEach
    void tearDown() {
        analytics.shutdown();
        tap.close();
    }

    @Test
    void every_call_type_and_its_batches_arrive_on_the_raw_topic_intact() throws IOException {
        analytics.enqueue(IdentifyMessage.builder().userId("u-1")
                .traits(Map.of("email", "jane@example.com", "plan", "pro")));
        analytics.enqueue(TrackMessage.builder("Order Completed").userId("u-1")
                .properties(Map.of("revenue", 99.5, "currency", "USD")));
        analytics.enqueue(PageMessage.builder("Pricing").anonymousId("a-1").properties(Map.of("path", "/pricing")));
        analytics.enqueue(ScreenMessage.builder("Cart").userId("u-1").properties(Map.of("items", 2)));
        analytics.enqueue(GroupMessage.builder("acme").userId("u-1").traits(Map.of("industry", "retail")));
        analytics.enqueue(AliasMessage.builder("a-1").userId("u-1"));
        for (int i = 0; i < 120; i++) {
            analytics.enqueue(TrackMessage.builder("Product Viewed").userId("u-" + (i % 7))
                    .properties(Map.of("sku", "sku-" + i)));
        }
        analytics.flush();

        int sent = 126;
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ofMillis(100))
                .until(() -> delivered.size() + failures.size() >= sent && tap.of(source.workspace()).size() >= sent);
        assertThat(failures).isEmpty();

        List<RawEvent> arrived = tap.of(source.workspace()).stream().map(RawEventTap.Received::event).toList();
        Map<String, RawEvent> byMessageId = arrived.stream()
                .collect(Collectors.toMap(RawEvent::getMessageId, Function.identity()));
        assertThat(byMessageId).hasSize(sent);
        assertThat(byMessageId.keySet()).containsExactlyInAnyOrderElementsOf(
                delivered.stream().map(Message::messageId).toList());

        for (Message message : delivered) {
            RawEvent event = byMessageId.get(message.messageId());
            assertThat(event.getType()).isEqualTo(message.type().name());
            assertThat(event.getChannel()).isEqualTo("server");
            JsonNode payload = JSON.readTree(event.getPayloadJson().toByteArray());
            assertThat(payload.path("context").path("library").path("name").asText()).isEqualTo("analytics-java");
            switch (message) {
                case IdentifyMessage identify -> {
                    assertThat(event.getUserId()).isEqualTo("u-1");
                    assertThat(payload.path("traits").path("email").asText()).isEqualTo(identify.traits().get("email"));
                }
                case TrackMessage track -> {
                    assertThat(event.getEvent()).isEqualTo(track.event());
                    if (track.event().equals("Order Completed")) {
                        assertThat(payload.path("properties").path("revenue").asDouble()).isEqualTo(99.5);
                    } else {
                        assertThat(payload.path("properties").path("sku").asText()).isEqualTo(track.properties().get("sku"));
                    }
                }
                case PageMessage page -> {
                    assertThat(event.getAnonymousId()).isEqualTo("a-1");
                    assertThat(event.getEvent()).isEqualTo("Pricing");
                    assertThat(payload.path("properties").path("path").asText()).isEqualTo("/pricing");
                }
                case ScreenMessage screen -> assertThat(event.getEvent()).isEqualTo("Cart");
                case GroupMessage group -> {
                    assertThat(event.getGroupId()).isEqualTo("acme");
                    assertThat(payload.path("traits").path("industry").asText()).isEqualTo("retail");
                }
                case AliasMessage alias -> {
                    assertThat(event.getPreviousId()).isEqualTo("a-1");
                    assertThat(event.getUserId()).isEqualTo("u-1");
                }
                default -> throw new AssertionError("unexpected message " + message);
            }
        }
    }
}
