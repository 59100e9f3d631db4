package io.kairos.gateway.api;

import io.kairos.gateway.AdminApi;
import io.kairos.gateway.Keycloak;
import io.kairos.gateway.OtherServicesDown;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;

/**
 * Every admin endpoint, called by every dev user, in the workspace its token grants ("demo")
 * and in one it does not: the answer is exactly what the role table says. Other services are
 * down here, so a call the gateway lets through to one of them answers 503; the table is
 * written from the product's rules, not read from the code under test.
 */
@QuarkusTest
@WithTestResource(value = OtherServicesDown.class, scope = TestResourceScope.GLOBAL)
class AdminAccessMatrixTest {

    /** Who may call what. Columns: admin, marketer, analyst, privacy. */
    private static final String RULES = """
            GET    /workspaces/{ws}                               Y Y Y Y  local
            GET    /workspaces/{ws}/sources                       Y Y Y -  local
            POST   /workspaces/{ws}/sources                       Y Y - -  local
            GET    /workspaces/{ws}/sources/{source}              Y Y Y -  local
            POST   /workspaces/{ws}/sources/{source}/rotate       Y Y - -  local
            DELETE /workspaces/{ws}/sources/{source}              Y Y - -  local
            GET    /workspaces/{ws}/profiles?identifier=email:a@b.c  Y Y Y Y  forwarded
            GET    /workspaces/{ws}/profiles/p-1                  Y Y Y Y  forwarded
            GET    /workspaces/{ws}/profiles/p-1/events           Y Y Y Y  forwarded
            GET    /workspaces/{ws}/profiles/p-1/segments         Y Y Y Y  forwarded
            DELETE /workspaces/{ws}/profiles/p-1                  Y - - Y  forwarded
            GET    /workspaces/{ws}/profiles/p-1/identity-graph   Y Y Y Y  forwarded
            POST   /workspaces/{ws}/profiles/merge                Y - - -  forwarded
            GET    /workspaces/{ws}/identity-rules                Y Y Y Y  forwarded
            PUT    /workspaces/{ws}/identity-rules                Y - - -  forwarded
            GET    /workspaces/{ws}/history-retention             Y Y Y Y  forwarded
            PUT    /workspaces/{ws}/history-retention             Y - - Y  forwarded
            GET    /workspaces/{ws}/profiles/p-1/consents         Y Y Y Y  forwarded
            PUT    /workspaces/{ws}/profiles/p-1/consents         Y - - Y  forwarded
            GET    /workspaces/{ws}/segments                      Y Y Y -  forwarded
            POST   /workspaces/{ws}/segments                      Y Y - -  forwarded
            POST   /workspaces/{ws}/segments/preview              Y Y Y -  forwarded
            GET    /workspaces/{ws}/segments/s-1                  Y Y Y -  forwarded
            PUT    /workspaces/{ws}/segments/s-1                  Y Y - -  forwarded
            DELETE /workspaces/{ws}/segments/s-1                  Y Y - -  forwarded
            GET    /workspaces/{ws}/segments/s-1/members          Y Y Y -  forwarded
            GET    /workspaces/{ws}/triggers                      Y Y Y -  forwarded
            POST   /workspaces/{ws}/triggers                      Y Y - -  forwarded
            GET    /workspaces/{ws}/triggers/t-1                  Y Y Y -  forwarded
            PUT    /workspaces/{ws}/triggers/t-1                  Y Y - -  forwarded
            DELETE /workspaces/{ws}/triggers/t-1                  Y Y - -  forwarded
            POST   /workspaces/{ws}/triggers/t-1/pause            Y Y - -  forwarded
            POST   /workspaces/{ws}/triggers/t-1/resume           Y Y - -  forwarded
            GET    /workspaces/{ws}/triggers/t-1/deliveries       Y Y Y -  forwarded
            GET    /workspaces/{ws}/policies                      Y Y Y Y  forwarded
            PUT    /workspaces/{ws}/policies                      Y - - Y  forwarded
            POST   /workspaces/{ws}/privacy-requests              Y - - Y  forwarded
            GET    /workspaces/{ws}/privacy-requests              Y - - Y  forwarded
            GET    /workspaces/{ws}/privacy-requests/r-1          Y - - Y  forwarded
            """;
    private static final List<String> USERS = List.of("admin", "marketer", "analyst", "privacy");

    /** A body every endpoint that takes one accepts as far as the gateway's own checks go. */
    private static final Map<String, String> BODIES = Map.of(
            "/sources", "{\"name\": \"Matrix\", \"channel\": \"web\"}",
            "/consents", "{\"purpose\": \"marketing\", \"channel\": \"email\", \"status\": \"granted\", \"source\": \"test\"}",
            "/policies", "{\"defaultTimezone\": \"America/New_York\"}",
            "/merge", "{\"profileIds\": [\"p-1\", \"p-2\"]}",
            "/identity-rules", IdentityRulesResource.EXAMPLE,
            "/history-retention", HistoryRetentionResource.EXAMPLE,
            "/privacy-requests", "{\"profileId\": \"p-1\", \"kind\": \"export\"}");
    private static final String DEFINITION = "{\"name\": \"Matrix\", \"condition\": {\"trait\": \"plan\", \"eq\": \"pro\"}}";

    private static boolean demoCreatedHere;
    private static String foreign;

    private record Rule(String method, String path, List<Boolean> allowed, boolean forwarded) {
    }

    /** Not in a static @BeforeAll: REST Assured knows the test port only once the application runs. */
    @BeforeEach
    void workspaces() {
        if (foreign == null) {
            demoCreatedHere = AdminApi.ensureDemoWorkspace();
            foreign = AdminApi.newWorkspace();
        }
    }

    @AfterAll
    static void removeDemoIfCreatedHere() throws SQLException {
        if (demoCreatedHere) {
            AdminApi.removeDemoWorkspace();
        }
    }

    @Test
    void every_role_gets_exactly_its_rights_on_every_endpoint_in_its_own_and_a_foreign_workspace() {
        SoftAssertions softly = new SoftAssertions();
        int calls = 0;
        for (Rule rule : rules()) {
            for (int column = 0; column < USERS.size(); column++) {
                String user = USERS.get(column);
                for (String workspace : List.of("demo", foreign)) {
                    boolean ownWorkspace = user.equals("admin") || workspace.equals("demo");
                    Response response = call(rule, workspace, Keycloak.token(user));
                    calls++;
                    String what = user + " " + rule.method() + " " + rule.path().replace("{ws}", workspace);
                    if (!rule.allowed().get(column)) {
                        softly.assertThat(response.statusCode()).as(what).isEqualTo(403);
                        softly.assertThat(response.jsonPath().getString("reason")).as(what).isEqualTo("ROLE_NOT_ALLOWED");
                    } else if (!ownWorkspace) {
                        softly.assertThat(response.statusCode()).as(what).isEqualTo(403);
                        softly.assertThat(response.jsonPath().getString("reason")).as(what)
                                .isEqualTo("WORKSPACE_NOT_ALLOWED");
                    } else if (rule.forwarded()) {
                        softly.assertThat(response.statusCode()).as(what + " reaches the (stopped) service").isEqualTo(503);
                    } else {
                        softly.assertThat(response.statusCode()).as(what).isIn(200, 201, 204);
                    }
                }
            }
        }
        softly.assertThat(calls).isEqualTo(rules().size() * USERS.size() * 2);
        softly.assertAll();
    }

    @Test
    void without_a_token_or_with_a_forged_one_every_endpoint_answers_401() {
        String forged = Keycloak.token("analyst");
        String[] parts = forged.split("\\.");
        // The analyst's claims, signed by nobody: roles claimed in the payload must not count.
        String unsigned = parts[0] + "." + parts[1] + ".";
        SoftAssertions softly = new SoftAssertions();
        for (Rule rule : rules()) {
            for (String token : new String[] {null, unsigned, forged + "x"}) {
                Response response = call(rule, "demo", token);
                softly.assertThat(response.statusCode()).as(rule.method() + " " + rule.path()).isEqualTo(401);
            }
        }
        softly.assertAll();
    }

    @Test
    void only_an_admin_creates_workspaces_and_each_user_lists_only_its_own() {
        for (String user : USERS) {
            int status = as(Keycloak.token(user)).contentType(ContentType.JSON)
                    .body(Map.of("id", "m-" + user + "-" + System.nanoTime() % 100000, "name", "M", "timezone", "UTC"))
                    .post("/api/v1/workspaces").statusCode();
            org.assertj.core.api.Assertions.assertThat(status).as(user).isEqualTo(user.equals("admin") ? 201 : 403);
            List<String> listed = as(Keycloak.token(user)).get("/api/v1/workspaces").then().statusCode(200)
                    .extract().jsonPath().getList("workspaces.id", String.class);
            if (user.equals("admin")) {
                org.assertj.core.api.Assertions.assertThat(listed).contains("demo", foreign);
            } else {
                org.assertj.core.api.Assertions.assertThat(Set.copyOf(listed)).as(user).containsExactly("demo");
            }
        }
    }

    private Response call(Rule rule, String workspace, String token) {
        String path = "/api/v1" + rule.path().replace("{ws}", workspace);
        if (path.contains("{source}")) {
            path = path.replace("{source}", AdminApi.newSource(workspace, "web").id());
        }
        RequestSpecification request = as(token);
        String body = body(rule);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.request(rule.method(), path);
    }

    private static String body(Rule rule) {
        if (!rule.method().equals("POST") && !rule.method().equals("PUT")) {
            return null;
        }
        if (rule.path().endsWith("/rotate") || rule.path().endsWith("/pause") || rule.path().endsWith("/resume")) {
            return null;
        }
        return BODIES.entrySet().stream().filter(e -> rule.path().endsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(DEFINITION);
    }

    private static RequestSpecification as(String token) {
        return token == null ? given() : given().auth().oauth2(token);
    }

    private static List<Rule> rules() {
        return RULES.lines().filter(line -> !line.isBlank()).map(line -> {
            String[] cells = line.trim().split("\\s+");
            return new Rule(cells[0], cells[1], List.of(cells[2], cells[3], cells[4], cells[5]).stream()
                    .map("Y"::equals).toList(), cells[6].equals("forwarded"));
        }).toList();
    }
}
