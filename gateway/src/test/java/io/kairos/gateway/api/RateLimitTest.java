package io.kairos.gateway.api;

import io.kairos.gateway.AdminApi;
import io.kairos.gateway.OtherServicesDown;
import io.kairos.gateway.RawEventTap;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@TestProfile(RateLimitTest.SlowSources.class)
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
class RateLimitTest {

    /** 2 messages a second, at most 10 at once. */
    public static class SlowSources implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kairos.gateway.rate-limit.events-per-second", "2",
                    "kairos.gateway.rate-limit.burst", "10");
        }
    }

    @Inject
    RedisDataSource redis;

    @Test
    void a_source_over_its_rate_gets_429_with_retry_after_and_nothing_is_written() {
        AdminApi.Source source = AdminApi.newWorkspaceWithSource();
        try (RawEventTap tap = new RawEventTap()) {
            assertThat(batch(source, "Burst", 10).statusCode()).isEqualTo(200);

            Response refused = batch(source, "Over", 3);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.jsonPath().getString("reason")).isEqualTo("RATE_LIMITED");
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);

            // The bucket lives in Redis, where every gateway instance finds it.
            assertThat(redis.hash(String.class).hget("kairos:gateway:rate:{" + source.id() + "}", "tokens")).isNotNull();

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                    .until(() -> batch(source, "Later", 1).statusCode() == 200);
            await().atMost(Duration.ofSeconds(10)).pollInSameThread().pollInterval(Duration.ofMillis(50))
                    .until(() -> tap.of(source.workspace()).stream().anyMatch(r -> r.event().getEvent().equals("Later")));
            assertThat(tap.of(source.workspace())).extracting(r -> r.event().getEvent())
                    .doesNotContain("Over")
                    .filteredOn("Burst"::equals).hasSize(10);
        }
    }

    @Test
    void each_source_has_its_own_bucket_and_refused_requests_cost_nothing() {
        AdminApi.Source first = AdminApi.newWorkspaceWithSource();
        AdminApi.Source second = AdminApi.newSource(first.workspace(), "mobile");

        given().auth().preemptive().basic(first.writeKey(), "").contentType(ContentType.JSON)
                .body("{\"batch\": [" + String.join(",", Collections.nCopies(10, "{\"type\": \"track\"}")) + "]}")
                .post("/v1/batch").then().statusCode(400);
        assertThat(batch(first, "Burst", 10).statusCode()).as("the invalid batch spent no tokens").isEqualTo(200);
        assertThat(batch(first, "Over", 1).statusCode()).isEqualTo(429);

        assertThat(batch(second, "Burst", 10).statusCode()).isEqualTo(200);
    }

    private static Response batch(AdminApi.Source source, String event, int messages) {
        String message = "{\"type\": \"track\", \"userId\": \"u-1\", \"event\": \"" + event + "\"}";
        return given().auth().preemptive().basic(source.writeKey(), "").contentType(ContentType.JSON)
                .body("{\"batch\": [" + String.join(",", Collections.nCopies(messages, message)) + "]}")
                .post("/v1/batch");
    }
}
