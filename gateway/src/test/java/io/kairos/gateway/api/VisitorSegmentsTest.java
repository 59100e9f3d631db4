package io.kairos.gateway.api;

import io.kairos.api.segment.ProfileSegment;
import io.kairos.gateway.AdminApi;
import io.kairos.gateway.OtherServicesDown;
import io.kairos.gateway.VisitorDirectory;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** GET /v1/me/segments; profile-service and segment-service are played by {@link VisitorDirectory}. */
@QuarkusTest
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = VisitorDirectory.class, scope = TestResourceScope.MATCHING_RESOURCES)
class VisitorSegmentsTest {

    private AdminApi.Source source;

    @BeforeEach
    void setUp() {
        source = AdminApi.newWorkspaceWithSource();
    }

    @Test
    void a_known_visitor_gets_its_profile_and_segments() {
        String profileId = UUID.randomUUID().toString();
        VisitorDirectory.know(source.workspace(), "anonymousId", "a-1", profileId);
        Instant entered = Instant.parse("2025-11-20T10:15:30.123Z");
        VisitorDirectory.segments(source.workspace(), profileId, List.of(
                ProfileSegment.newBuilder().setSegmentId("s-1").setName("High-Value Repeat Customers")
                        .setEnteredAtMs(entered.toEpochMilli()).build(),
                ProfileSegment.newBuilder().setSegmentId("s-2").setName("Newsletter").build()));

        given().queryParam("writeKey", source.writeKey()).queryParam("anonymousId", "a-1")
                .get("/v1/me/segments")
                .then().statusCode(200)
                .contentType("application/json")
                .body("profileId", equalTo(profileId))
                .body("segments.id", contains("s-1", "s-2"))
                .body("segments.name", contains("High-Value Repeat Customers", "Newsletter"))
                .body("segments[0].enteredAt", equalTo("2025-11-20T10:15:30.123Z"))
                // Unknown to segment-service: null, not the epoch.
                .body("segments[1].enteredAt", nullValue());
    }

    @Test
    void the_user_id_and_the_basic_write_key_work_too() {
        String profileId = UUID.randomUUID().toString();
        VisitorDirectory.know(source.workspace(), "userId", "u-1", profileId);

        given().auth().preemptive().basic(source.writeKey(), "")
                .queryParam("userId", "u-1").queryParam("anonymousId", "device-unknown-to-kairos")
                .get("/v1/me/segments")
                .then().statusCode(200)
                .body("profileId", equalTo(profileId))
                .body("segments.size()", equalTo(0));
    }

    @Test
    void a_visitor_kairos_does_not_know_yet_is_in_no_segment() {
        given().queryParam("writeKey", source.writeKey()).queryParam("anonymousId", "new-visitor")
                .get("/v1/me/segments")
                .then().statusCode(200)
                .body("segments.size()", equalTo(0))
                .body("$", not(hasKey("profileId")));
    }

    @Test
    void another_workspaces_visitor_is_unknown_here() {
        String profileId = UUID.randomUUID().toString();
        AdminApi.Source other = AdminApi.newWorkspaceWithSource();
        VisitorDirectory.know(other.workspace(), "anonymousId", "a-1", profileId);

        given().queryParam("writeKey", source.writeKey()).queryParam("anonymousId", "a-1")
                .get("/v1/me/segments")
                .then().statusCode(200)
                .body("profileId", nullValue());
    }

    @Test
    void both_visitor_endpoints_are_described_in_openapi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/v1/stream'.get.summary", containsString("in-app messages"))
                .body("paths.'/v1/stream'.get.parameters.name",
                        hasItems("writeKey", "anonymousId", "userId", "lastEventId"))
                .body("paths.'/v1/stream'.get.responses.'200'.content", hasKey("text/event-stream"))
                .body("paths.'/v1/me/segments'.get.summary", containsString("segments the visitor is in"))
                .body("paths.'/v1/me/segments'.get.parameters.name", hasItems("writeKey", "anonymousId", "userId"));
    }

    @Test
    void a_bad_key_is_401_and_a_missing_identity_400() {
        given().queryParam("writeKey", "not-a-key").queryParam("anonymousId", "a-1")
                .get("/v1/me/segments")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("reason", equalTo("INVALID_WRITE_KEY"));
        given().queryParam("writeKey", source.writeKey())
                .get("/v1/me/segments")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("reason", equalTo("IDENTITY_REQUIRED"));
    }
}
