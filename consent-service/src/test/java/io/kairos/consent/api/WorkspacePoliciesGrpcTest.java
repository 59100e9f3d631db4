package io.kairos.consent.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kairos.api.consent.ConsentServiceGrpc;
import io.kairos.api.consent.GetPoliciesRequest;
import io.kairos.api.consent.UpdatePoliciesRequest;
import io.kairos.api.consent.WorkspacePolicies;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** GetPolicies / UpdatePolicies over a real gRPC client on the test port, against the real PostgreSQL. */
@QuarkusTest
class WorkspacePoliciesGrpcTest {

    private static final String DEFAULTS = """
            {"defaultTimezone":"UTC","quietHours":{"sms":{"from":"21:00","to":"08:00"}},"frequencyCaps":[]}""";
    private static final String DESIGN_EXAMPLE = """
            {"defaultTimezone": "America/New_York",
             "quietHours": {"email": {"from": "21:00", "to": "08:00"}, "sms": {"from": "21:00", "to": "08:00"}},
             "frequencyCaps": [{"channel": "email", "purpose": "marketing", "max": 3, "per": "P7D"}]}""";

    private final ObjectMapper json = new ObjectMapper();

    @GrpcClient("consent")
    ConsentServiceGrpc.ConsentServiceBlockingStub consent;

    @Inject
    Pool pool;

    private static String newWorkspace() {
        return "ws-" + UUID.randomUUID();
    }

    private WorkspacePolicies get(String workspace) {
        return consent.getPolicies(GetPoliciesRequest.newBuilder().setWorkspace(workspace).build());
    }

    private WorkspacePolicies update(String workspace, String policies, String by) {
        return consent.updatePolicies(UpdatePoliciesRequest.newBuilder().setWorkspace(workspace)
                .setPoliciesJson(ByteString.copyFromUtf8(policies)).setUpdatedBy(by).build());
    }

    /** The contact policies of the document; its jurisdictions are checked apart (jurisdictionsAreEditedAndDecideTheNextCheck). */
    private JsonNode policies(WorkspacePolicies message) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode document =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(message.getPoliciesJson().toByteArray());
            document.remove(java.util.List.of("jurisdictions", "defaultJurisdiction"));
            return document;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long rows(String table, String workspace) {
        return pool.preparedQuery("select count(*) from " + table + " where workspace = $1")
                .execute(Tuple.of(workspace)).await().indefinitely().iterator().next().getLong(0);
    }

    private static ErrorInfo invalidArgument(StatusRuntimeException failure) throws InvalidProtocolBufferException {
        assertThat(failure).as("the call failed").isNotNull();
        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        assertThat(status).as("google.rpc.Status in the trailers").isNotNull();
        ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getDomain()).isEqualTo("kairos.io");
        return info;
    }

    @Test
    void aWorkspaceThatNeverSetPoliciesGetsTheDefaults() {
        String ws = newWorkspace();

        WorkspacePolicies defaults = get(ws);

        assertThat(defaults.getWorkspace()).isEqualTo(ws);
        assertThat(policies(defaults)).isEqualTo(tree(DEFAULTS));
        assertThat(defaults.getVersion()).isZero();
        assertThat(defaults.getUpdatedAtMs()).isZero();
        assertThat(defaults.getUpdatedBy()).isEmpty();
        assertThat(rows("workspace_policies", ws)).as("reading stores nothing").isZero();
    }

    @Test
    void anUpdateIsStoredAndReadBack() {
        String ws = newWorkspace();
        Instant before = Instant.now();

        WorkspacePolicies updated = update(ws, DESIGN_EXAMPLE, "admin");

        assertThat(policies(updated)).isEqualTo(tree(DESIGN_EXAMPLE));
        assertThat(updated.getVersion()).isEqualTo(1);
        assertThat(updated.getUpdatedBy()).isEqualTo("admin");
        assertThat(updated.getUpdatedAtMs()).isBetween(before.toEpochMilli() - 1000, Instant.now().toEpochMilli() + 1000);
        assertThat(get(ws)).isEqualTo(updated);
    }

    @Test
    void aPartialUpdateKeepsTheOtherFields() {
        String ws = newWorkspace();
        update(ws, DESIGN_EXAMPLE, "admin");

        WorkspacePolicies updated = update(ws, "{\"defaultTimezone\": \"Europe/Berlin\"}", "admin");

        JsonNode expected = tree(DESIGN_EXAMPLE);
        ((ObjectNode) expected).put("defaultTimezone", "Europe/Berlin");
        assertThat(policies(updated)).isEqualTo(expected);
        assertThat(policies(get(ws))).isEqualTo(expected);

        // From the defaults, too: the default sms quiet hours stay when only caps are set.
        String other = newWorkspace();
        WorkspacePolicies capsOnly = update(other,
                "{\"frequencyCaps\": [{\"channel\": \"push\", \"max\": 5, \"per\": \"P1D\"}]}", "admin");
        assertThat(policies(capsOnly)).isEqualTo(tree("""
                {"defaultTimezone":"UTC","quietHours":{"sms":{"from":"21:00","to":"08:00"}},
                 "frequencyCaps":[{"channel":"push","max":5,"per":"P1D"}]}"""));
    }

    @Test
    void quietHoursMergePerChannelAndNullRemovesAChannel() {
        String ws = newWorkspace();
        update(ws, DESIGN_EXAMPLE, "admin");

        WorkspacePolicies updated = update(ws, """
                {"quietHours": {"sms": null, "push": {"from": "22:00", "to": "07:00"}},
                 "frequencyCaps": []}""", "admin");

        assertThat(policies(updated)).isEqualTo(tree("""
                {"defaultTimezone":"America/New_York",
                 "quietHours":{"email":{"from":"21:00","to":"08:00"},"push":{"from":"22:00","to":"07:00"}},
                 "frequencyCaps":[]}"""));
        assertThat(get(ws)).isEqualTo(updated);
    }

    @Test
    void invalidPoliciesNameTheFieldAndStoreNothing() throws Exception {
        String ws = newWorkspace();

        ErrorInfo zone = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> update(ws, "{\"defaultTimezone\": \"Mars/Olympus_Mons\"}", "admin")));
        assertThat(zone.getReason()).isEqualTo("INVALID_TIMEZONE");
        assertThat(zone.getMetadataMap()).containsEntry("field", "/defaultTimezone");

        ErrorInfo time = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> update(ws, "{\"defaultTimezone\": \"Europe/Paris\", \"quietHours\": {\"sms\": {\"from\": \"9pm\", \"to\": \"08:00\"}}}", "admin")));
        assertThat(time.getReason()).isEqualTo("INVALID_TIME");
        assertThat(time.getMetadataMap()).containsEntry("field", "/quietHours/sms/from");

        ErrorInfo channel = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> update(ws, "{\"quietHours\": {\"fax\": null}}", "admin")));
        assertThat(channel.getReason()).isEqualTo("UNKNOWN_CHANNEL");
        assertThat(channel.getMetadataMap()).containsEntry("field", "/quietHours/fax")
                .containsEntry("allowed", "email, sms, push, in_app, webhook, kafka");

        ErrorInfo cap = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> update(ws, "{\"frequencyCaps\": [{\"channel\": \"email\", \"max\": 0, \"per\": \"P7D\"}]}", "admin")));
        assertThat(cap.getReason()).isEqualTo("INVALID_CAP_MAX");
        assertThat(cap.getMetadataMap()).containsEntry("field", "/frequencyCaps/0/max");

        ErrorInfo notAnObject = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> update(ws, "[]", "admin")));
        assertThat(notAnObject.getReason()).isEqualTo("NOT_AN_OBJECT");
        assertThat(notAnObject.getMetadataMap()).containsEntry("field", "");

        ErrorInfo unknown = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> update(ws, "{\"quietHour\": {}}", "admin")));
        assertThat(unknown.getReason()).isEqualTo("UNKNOWN_FIELD");
        assertThat(unknown.getMetadataMap()).containsEntry("field", "/quietHour");

        assertThat(rows("workspace_policies", ws)).isZero();
        assertThat(rows("workspace_policies_change", ws)).isZero();
        assertThat(policies(get(ws))).isEqualTo(tree(DEFAULTS));

        // Once policies are set, a refused update leaves them and their version as they were.
        WorkspacePolicies stored = update(ws, DESIGN_EXAMPLE, "admin");
        invalidArgument(catchThrowableOfType(StatusRuntimeException.class, () -> update(ws,
                "{\"defaultTimezone\": \"UTC\", \"frequencyCaps\": [{\"channel\": \"email\", \"max\": 1, \"per\": \"P0D\"}]}",
                "admin")));
        assertThat(get(ws)).isEqualTo(stored);
        assertThat(rows("workspace_policies_change", ws)).isEqualTo(1);
    }

    @Test
    void aWorkspaceIsRequired() throws Exception {
        ErrorInfo onGet = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> get("")));
        assertThat(onGet.getReason()).isEqualTo("FIELD_REQUIRED");
        assertThat(onGet.getMetadataMap()).containsEntry("field", "/workspace");
        ErrorInfo onUpdate = invalidArgument(catchThrowableOfType(StatusRuntimeException.class,
                () -> update(" ", DESIGN_EXAMPLE, "admin")));
        assertThat(onUpdate.getMetadataMap()).containsEntry("field", "/workspace");
    }

    @Test
    void oneWorkspacesPoliciesAreNotAnothers() {
        String ws = newWorkspace();
        String other = newWorkspace();
        update(other, DESIGN_EXAMPLE, "admin");

        update(ws, "{\"defaultTimezone\": \"Asia/Tokyo\", \"quietHours\": {\"sms\": null}}", "admin");

        assertThat(policies(get(other))).isEqualTo(tree(DESIGN_EXAMPLE));
        assertThat(get(other).getVersion()).isEqualTo(1);
        assertThat(policies(get(ws))).isEqualTo(tree("""
                {"defaultTimezone":"Asia/Tokyo","quietHours":{},"frequencyCaps":[]}"""));
        assertThat(get(ws).getWorkspace()).isEqualTo(ws);
    }

    @Test
    void everyUpdateIsTheNextVersionAndIsAudited() {
        String ws = newWorkspace();

        assertThat(update(ws, "{\"defaultTimezone\": \"Europe/Rome\"}", "admin").getVersion()).isEqualTo(1);
        assertThat(update(ws, "{}", "privacy").getVersion()).isEqualTo(2);
        WorkspacePolicies third = update(ws, "{\"quietHours\": {\"email\": {\"from\": \"20:00\", \"to\": \"09:00\"}}}", "admin");

        assertThat(third.getVersion()).isEqualTo(3);
        assertThat(get(ws).getVersion()).isEqualTo(3);
        List<String> trail = pool.preparedQuery("""
                        select version || ' ' || updated_by || ' ' || change::text || ' -> ' || (policies->>'defaultTimezone')
                        from workspace_policies_change where workspace = $1 order by version""")
                .execute(Tuple.of(ws)).await().indefinitely().stream().map(row -> row.getString(0)).toList();
        assertThat(trail).containsExactly(
                "1 admin {\"defaultTimezone\": \"Europe/Rome\"} -> Europe/Rome",
                "2 privacy {} -> Europe/Rome",
                "3 admin {\"quietHours\": {\"email\": {\"to\": \"09:00\", \"from\": \"20:00\"}}} -> Europe/Rome");
    }

    @Test
    void concurrentUpdatesOfOneWorkspaceAreAllApplied() throws Exception {
        String ws = newWorkspace();
        List<String> channels = List.of("email", "sms", "push", "in_app", "webhook", "kafka");
        ExecutorService callers = Executors.newFixedThreadPool(channels.size());
        try {
            List<CompletableFuture<WorkspacePolicies>> calls = channels.stream()
                    .map(channel -> CompletableFuture.supplyAsync(() -> update(ws,
                            "{\"quietHours\": {\"" + channel + "\": {\"from\": \"23:00\", \"to\": \"06:00\"}}}", channel),
                            callers))
                    .toList();
            List<Integer> versions = calls.stream().map(CompletableFuture::join).map(WorkspacePolicies::getVersion).toList();

            assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
        } finally {
            callers.shutdown();
            assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        WorkspacePolicies result = get(ws);
        assertThat(result.getVersion()).isEqualTo(6);
        assertThat(policies(result).path("quietHours").properties()).extracting(Map.Entry::getKey)
                .containsExactlyElementsOf(channels);
    }
}
