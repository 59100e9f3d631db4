package io.kairos.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** Workspace policies through the gateway, kept by consent-service: defaults, updates that merge, refusals. */
class WorkspacePoliciesIT {

    private static final String DESIGN_EXAMPLE = """
            {"defaultTimezone": "America/New_York",
             "quietHours": {"email": {"from": "21:00", "to": "08:00"}, "sms": {"from": "21:00", "to": "08:00"}},
             "frequencyCaps": [{"channel": "email", "purpose": "marketing", "max": 3, "per": "P7D"}]}""";

    private static Admin admin;

    @BeforeAll
    static void startSuite() {
        KairosSuite.start();
        admin = new Admin(Keycloak.token("admin"));
    }

    @Test
    void policiesAreSetPartiallyUpdatedAndRead() {
        String ws = admin.newWorkspace();

        admin.get("{ws}/policies", ws).then().statusCode(200)
                .body("defaultTimezone", equalTo("UTC"))
                .body("quietHours.sms", equalTo(Map.of("from", "21:00", "to", "08:00")))
                .body("frequencyCaps", equalTo(List.of()))
                .body("version", equalTo(0))
                .body("updatedAt", nullValue());

        admin.put("{ws}/policies", DESIGN_EXAMPLE, ws).then().statusCode(200)
                .body("defaultTimezone", equalTo("America/New_York"))
                .body("quietHours.email", equalTo(Map.of("from", "21:00", "to", "08:00")))
                .body("frequencyCaps[0]", equalTo(Map.of("channel", "email", "purpose", "marketing", "max", 3, "per", "P7D")))
                .body("version", equalTo(1))
                .body("updatedBy", equalTo("admin"))
                .body("updatedAt", notNullValue());

        // Only the time zone and one channel change; sms quiet hours go; the rest stays.
        admin.put("{ws}/policies", Map.of("defaultTimezone", "Europe/Berlin",
                        "quietHours", Map.of("push", Map.of("from", "22:00", "to", "07:00"))), ws)
                .then().statusCode(200).body("version", equalTo(2));
        admin.put("{ws}/policies", "{\"quietHours\": {\"sms\": null}}", ws)
                .then().statusCode(200).body("version", equalTo(3));

        var read = admin.get("{ws}/policies", ws).then().statusCode(200)
                .body("defaultTimezone", equalTo("Europe/Berlin"))
                .body("quietHours", aMapWithSize(2))
                .body("quietHours.email", equalTo(Map.of("from", "21:00", "to", "08:00")))
                .body("quietHours.push", equalTo(Map.of("from", "22:00", "to", "07:00")))
                .body("quietHours", not(hasKey("sms")))
                .body("frequencyCaps", equalTo(List.of(
                        Map.of("channel", "email", "purpose", "marketing", "max", 3, "per", "P7D"))))
                .body("version", equalTo(3))
                .extract();
        assertThat(Instant.parse(read.path("updatedAt"))).isBefore(Instant.now().plusSeconds(5));

        // What GET answered can be sent back as it is (version and timestamps are ignored).
        admin.put("{ws}/policies", read.asString(), ws).then().statusCode(200)
                .body("version", equalTo(4))
                .body("defaultTimezone", equalTo("Europe/Berlin"));

        // Another workspace still has the defaults.
        admin.get("{ws}/policies", admin.newWorkspace()).then().statusCode(200)
                .body("defaultTimezone", equalTo("UTC")).body("version", equalTo(0));
    }

    @Test
    void aBadZoneIsA400NamingTheFieldAndChangesNothing() {
        String ws = admin.newWorkspace();
        admin.put("{ws}/policies", "{\"defaultTimezone\": \"Asia/Tokyo\", \"quietHours\": {\"sms\": null}}", ws)
                .then().statusCode(200).body("version", equalTo(1));

        admin.put("{ws}/policies", "{\"defaultTimezone\": \"Mars/Olympus_Mons\", \"frequencyCaps\": []}", ws)
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400))
                .body("reason", equalTo("INVALID_TIMEZONE"))
                .body("field", equalTo("/defaultTimezone"));
        admin.put("{ws}/policies", "{\"quietHours\": {\"sms\": {\"from\": \"21:00\", \"to\": \"21:00\"}}}", ws)
                .then().statusCode(400)
                .body("reason", equalTo("EMPTY_QUIET_HOURS"))
                .body("field", equalTo("/quietHours/sms"));

        admin.get("{ws}/policies", ws).then().statusCode(200)
                .body("defaultTimezone", equalTo("Asia/Tokyo"))
                .body("quietHours", anEmptyMap())
                .body("version", equalTo(1));
    }
}
