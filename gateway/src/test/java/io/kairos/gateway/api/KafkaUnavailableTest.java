package io.kairos.gateway.api;

import io.kairos.gateway.AdminApi;
import io.kairos.gateway.OtherServicesDown;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** With no broker to take the events, ingestion answers 503 + Retry-After once the ack timeout passed. */
@QuarkusTest
@TestProfile(KafkaUnavailableTest.NoBroker.class)
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
class KafkaUnavailableTest {

    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "kairos.gateway.event-log.bootstrap-servers", "127.0.0.1:" + OtherServicesDown.closedPort(),
                    "kairos.gateway.ingestion.ack-timeout", "2s",
                    // Let the producer give up soon after the test, so that shutting down is quick.
                    "kairos.gateway.event-log.max-block", "4s",
                    "kairos.gateway.event-log.close-timeout", "500ms");
        }
    }

    @Test
    void ingestion_answers_503_with_retry_after_when_kafka_does_not_acknowledge() {
        AdminApi.Source source = AdminApi.newWorkspaceWithSource();
        long started = System.nanoTime();

        given().auth().preemptive().basic(source.writeKey(), "").contentType(ContentType.JSON)
                .body("{\"userId\": \"u-1\", \"event\": \"Order Completed\"}")
                .post("/v1/track")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("reason", equalTo("EVENT_LOG_UNAVAILABLE"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }
}
