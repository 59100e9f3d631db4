package io.kairos.gateway.api;

import io.kairos.gateway.AdminApi;
import io.kairos.gateway.Keycloak;
import io.kairos.gateway.OtherServicesDown;
import io.kairos.gateway.domain.WriteKey;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
class WriteKeyLifecycleTest {

    @Inject
    RedisDataSource redis;

    @Test
    void a_key_revoked_by_another_instance_stops_working_here_within_a_second() throws SQLException {
        AdminApi.Source source = AdminApi.newWorkspaceWithSource();
        assertThat(track(source.writeKey())).isEqualTo(200);

        // Another gateway instance revokes: the row changes, then the revocation is broadcast.
        try (Connection db = DriverManager.getConnection(AdminApi.PG_URL, "postgres", "");
             PreparedStatement revoke = db.prepareStatement("UPDATE sources SET revoked_at = now() WHERE id = ?")) {
            revoke.setString(1, source.id());
            assertThat(revoke.executeUpdate()).isEqualTo(1);
        }
        assertThat(track(source.writeKey())).as("still cached on this instance").isEqualTo(200);

        redis.pubsub(String.class).publish("kairos:gateway:write-key-revocations", WriteKey.hashOf(source.writeKey()));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> track(source.writeKey()) == 401);
    }

    @Test
    void rotating_without_grace_ends_the_old_key_at_once() {
        AdminApi.Source source = AdminApi.newWorkspaceWithSource();
        assertThat(track(source.writeKey())).isEqualTo(200);

        String newKey = admin().post("/api/v1/workspaces/{ws}/sources/{id}/rotate", source.workspace(), source.id())
                .then().statusCode(200)
                .body("id", equalTo(source.id()))
                .body("rotatedAt", notNullValue())
                .body("previousKeyExpiresAt", nullValue())
                .extract().path("writeKey");

        assertThat(newKey).isNotEqualTo(source.writeKey());
        assertThat(track(newKey)).isEqualTo(200);
        assertThat(track(source.writeKey())).isEqualTo(401);
    }

    @Test
    void during_the_grace_period_both_keys_work_and_the_old_one_ends_with_it() {
        AdminApi.Source source = AdminApi.newWorkspaceWithSource();
        assertThat(track(source.writeKey())).isEqualTo(200);

        String second = admin().contentType(ContentType.JSON).body(Map.of("gracePeriod", "PT2S"))
                .post("/api/v1/workspaces/{ws}/sources/{id}/rotate", source.workspace(), source.id())
                .then().statusCode(200).body("previousKeyExpiresAt", notNullValue())
                .extract().path("writeKey");

        assertThat(track(second)).isEqualTo(200);
        assertThat(track(source.writeKey())).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> track(source.writeKey()) == 401);
        assertThat(track(second)).isEqualTo(200);
    }

    @Test
    void a_second_rotation_ends_the_key_still_in_its_grace_period() {
        AdminApi.Source source = AdminApi.newWorkspaceWithSource();
        String second = rotate(source, "PT1H");
        assertThat(track(source.writeKey())).isEqualTo(200);

        String third = rotate(source, "PT1H");

        assertThat(track(source.writeKey())).isEqualTo(401);
        assertThat(track(second)).isEqualTo(200);
        assertThat(track(third)).isEqualTo(200);
        admin().get("/api/v1/workspaces/{ws}/sources/{id}", source.workspace(), source.id())
                .then().statusCode(200).body("previousKeyExpiresAt", notNullValue()).body("rotatedAt", notNullValue());
    }

    @Test
    void revoking_ends_the_current_and_the_previous_key() {
        AdminApi.Source source = AdminApi.newWorkspaceWithSource();
        String second = rotate(source, "PT1H");
        assertThat(track(source.writeKey())).isEqualTo(200);

        admin().delete("/api/v1/workspaces/{ws}/sources/{id}", source.workspace(), source.id())
                .then().statusCode(204);

        assertThat(track(second)).isEqualTo(401);
        assertThat(track(source.writeKey())).isEqualTo(401);
        admin().post("/api/v1/workspaces/{ws}/sources/{id}/rotate", source.workspace(), source.id())
                .then().statusCode(409).body("reason", equalTo("SOURCE_REVOKED"));
    }

    @Test
    void rotation_is_validated_and_kept_to_those_who_may_write_sources() {
        AdminApi.Source source = AdminApi.newWorkspaceWithSource();
        admin().contentType(ContentType.JSON).body(Map.of("gracePeriod", "tomorrow"))
                .post("/api/v1/workspaces/{ws}/sources/{id}/rotate", source.workspace(), source.id())
                .then().statusCode(400).contentType("application/problem+json")
                .body("reason", equalTo("INVALID_GRACE_PERIOD")).body("field", equalTo("/gracePeriod"));
        admin().contentType(ContentType.JSON).body(Map.of("gracePeriod", "P90D"))
                .post("/api/v1/workspaces/{ws}/sources/{id}/rotate", source.workspace(), source.id())
                .then().statusCode(400).body("reason", equalTo("INVALID_GRACE_PERIOD"));
        admin().post("/api/v1/workspaces/{ws}/sources/{id}/rotate", source.workspace(), "no-such-source")
                .then().statusCode(404).body("reason", equalTo("SOURCE_NOT_FOUND"));
        // Nothing of the refused rotations took effect.
        assertThat(track(source.writeKey())).isEqualTo(200);
        admin().get("/api/v1/workspaces/{ws}/sources/{id}", source.workspace(), source.id())
                .then().statusCode(200).body("rotatedAt", nullValue());
    }

    private static String rotate(AdminApi.Source source, String gracePeriod) {
        return admin().contentType(ContentType.JSON).body(Map.of("gracePeriod", gracePeriod))
                .post("/api/v1/workspaces/{ws}/sources/{id}/rotate", source.workspace(), source.id())
                .then().statusCode(200).extract().path("writeKey");
    }

    private static int track(String writeKey) {
        return given().auth().preemptive().basic(writeKey, "").contentType(ContentType.JSON)
                .body("{\"userId\": \"u-1\", \"event\": \"Key Checked\"}")
                .post("/v1/track").statusCode();
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().oauth2(Keycloak.token("admin"));
    }
}
