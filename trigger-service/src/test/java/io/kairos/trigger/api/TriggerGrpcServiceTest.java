package io.kairos.trigger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kairos.api.trigger.CreateTriggerRequest;
import io.kairos.api.trigger.ListDeliveriesRequest;
import io.kairos.api.trigger.ListTriggersRequest;
import io.kairos.api.trigger.Trigger;
import io.kairos.api.trigger.TriggerRef;
import io.kairos.api.trigger.TriggerServiceGrpc;
import io.kairos.api.trigger.UpdateTriggerRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@QuarkusTest
class TriggerGrpcServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @GrpcClient("trigger")
    TriggerServiceGrpc.TriggerServiceBlockingStub triggers;

    static String definition(String name) {
        return """
                {"name": "%s",
                 "when": {"event": "Product Added", "where": [{"property": "price", "gte": 10}]},
                 "action": {"channel": "email", "purpose": "marketing",
                            "webhook": {"url": "https://provider.example/send", "secret": "s3cret"},
                            "template": {"subject": "You left {event.properties.name} behind",
                                         "body": "Your cart: {event.properties.price.money}"}}}""".formatted(name);
    }

    private Trigger create(String workspace, String definitionJson) {
        return triggers.createTrigger(CreateTriggerRequest.newBuilder().setWorkspace(workspace)
                .setDefinitionJson(ByteString.copyFromUtf8(definitionJson)).build());
    }

    private Trigger update(String workspace, String triggerId, String definitionJson, int expectedVersion) {
        return triggers.updateTrigger(UpdateTriggerRequest.newBuilder().setWorkspace(workspace).setTriggerId(triggerId)
                .setDefinitionJson(ByteString.copyFromUtf8(definitionJson)).setExpectedVersion(expectedVersion).build());
    }

    private static TriggerRef ref(String workspace, String triggerId) {
        return TriggerRef.newBuilder().setWorkspace(workspace).setTriggerId(triggerId).build();
    }

    private static String workspace() {
        return "ws-" + UUID.randomUUID();
    }

    @Test
    void createsAndReadsATriggerWithoutEverReturningTheSecret() throws IOException {
        String workspace = workspace();

        Trigger created = create(workspace, definition("Cart recovery"));

        assertThat(UUID.fromString(created.getTriggerId())).isNotNull();
        assertThat(created.getWorkspace()).isEqualTo(workspace);
        assertThat(created.getName()).isEqualTo("Cart recovery");
        assertThat(created.getVersion()).isEqualTo(1);
        assertThat(created.getCreatedAtMs()).isPositive();
        assertThat(created.getStatus()).isEqualTo("active");
        assertThat(created.getUpdatedAtMs()).isEqualTo(created.getCreatedAtMs());
        JsonNode returned = JSON.readTree(created.getDefinitionJson().toByteArray());
        JsonNode expected = JSON.readTree(definition("Cart recovery"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.path("action").path("webhook")).put("secret", "********");
        assertThat(returned).isEqualTo(expected);
        assertThat(created.getDefinitionJson().toStringUtf8()).doesNotContain("s3cret");

        Trigger fetched = triggers.getTrigger(ref(workspace, created.getTriggerId()));
        assertThat(fetched).isEqualTo(created);
        assertThat(triggers.listTriggers(ListTriggersRequest.newBuilder().setWorkspace(workspace).build())
                .getTriggersList()).containsExactly(created);
    }

    @Test
    void rejectsLaterFieldsPreciselyAndStoresNothing() throws InvalidProtocolBufferException {
        String workspace = workspace();
        String withAudience = definition("Cart recovery")
                .replace("\"when\":", "\"audience\": {\"trait\": \"plan\", \"eq\": \"pro\"}, \"when\":");

        ErrorInfo error = errorInfo(() -> create(workspace, withAudience), Status.Code.INVALID_ARGUMENT);

        assertThat(error.getReason()).isEqualTo("UNSUPPORTED_AUDIENCE");
        assertThat(error.getDomain()).isEqualTo("kairos.io");
        assertThat(error.getMetadataMap()).containsEntry("field", "/audience/trait");
        assertThat(triggers.listTriggers(ListTriggersRequest.newBuilder().setWorkspace(workspace).build())
                .getTriggersList()).isEmpty();
    }

    @Test
    void rejectsBadTemplatesAndBadJsonAtSaveTime() throws InvalidProtocolBufferException {
        String workspace = workspace();
        String brokenTemplate = definition("Broken").replace("Your cart: {event.properties.price.money}", "{#if x}open");

        ErrorInfo template = errorInfo(() -> create(workspace, brokenTemplate), Status.Code.INVALID_ARGUMENT);
        ErrorInfo json = errorInfo(() -> create(workspace, "{\"name\": "), Status.Code.INVALID_ARGUMENT);
        ErrorInfo duplicateKey = errorInfo(() -> create(workspace, "{\"name\": \"a\", \"name\": \"b\"}"),
                Status.Code.INVALID_ARGUMENT);
        ErrorInfo noWorkspace = errorInfo(() -> create("", definition("x")), Status.Code.INVALID_ARGUMENT);

        assertThat(template.getReason()).isEqualTo("INVALID_TEMPLATE");
        assertThat(template.getMetadataMap()).containsEntry("field", "/action/template/body");
        assertThat(json.getReason()).isEqualTo("INVALID_JSON");
        assertThat(duplicateKey.getReason()).isEqualTo("INVALID_JSON");
        assertThat(noWorkspace.getReason()).isEqualTo("MISSING_FIELD");
        assertThat(noWorkspace.getMetadataMap()).containsEntry("field", "/workspace");
        assertThat(triggers.listTriggers(ListTriggersRequest.newBuilder().setWorkspace(workspace).build())
                .getTriggersList()).isEmpty();
    }

    @Test
    void namesAreUniqueAmongLiveTriggersOfAWorkspace() throws InvalidProtocolBufferException {
        String workspace = workspace();
        Trigger first = create(workspace, definition("Cart recovery"));

        ErrorInfo taken = errorInfo(() -> create(workspace, definition("Cart recovery")), Status.Code.ALREADY_EXISTS);
        Trigger elsewhere = create(workspace(), definition("Cart recovery"));
        triggers.deleteTrigger(ref(workspace, first.getTriggerId()));
        Trigger again = create(workspace, definition("Cart recovery"));

        assertThat(taken.getReason()).isEqualTo("TRIGGER_NAME_TAKEN");
        assertThat(taken.getMetadataMap()).containsEntry("field", "/name");
        assertThat(elsewhere.getName()).isEqualTo("Cart recovery");
        assertThat(again.getTriggerId()).isNotEqualTo(first.getTriggerId());
    }

    @Test
    void nothingOfOneWorkspaceIsVisibleFromAnother() throws InvalidProtocolBufferException {
        String mine = workspace();
        String theirs = workspace();
        Trigger trigger = create(mine, definition("Mine"));

        ErrorInfo get = errorInfo(() -> triggers.getTrigger(ref(theirs, trigger.getTriggerId())), Status.Code.NOT_FOUND);
        ErrorInfo delete = errorInfo(() -> triggers.deleteTrigger(ref(theirs, trigger.getTriggerId())), Status.Code.NOT_FOUND);
        ErrorInfo deliveries = errorInfo(() -> triggers.listDeliveries(ListDeliveriesRequest.newBuilder()
                .setWorkspace(theirs).setTriggerId(trigger.getTriggerId()).build()), Status.Code.NOT_FOUND);

        assertThat(get.getReason()).isEqualTo("TRIGGER_NOT_FOUND");
        assertThat(delete.getReason()).isEqualTo("TRIGGER_NOT_FOUND");
        assertThat(deliveries.getReason()).isEqualTo("TRIGGER_NOT_FOUND");
        assertThat(triggers.listTriggers(ListTriggersRequest.newBuilder().setWorkspace(theirs).build())
                .getTriggersList()).isEmpty();
        assertThat(triggers.getTrigger(ref(mine, trigger.getTriggerId()))).isEqualTo(trigger);
    }

    @Test
    void deletedTriggersAreGoneButKeepTheirDeliveryLog() throws InvalidProtocolBufferException {
        String workspace = workspace();
        Trigger trigger = create(workspace, definition("Doomed"));

        triggers.deleteTrigger(ref(workspace, trigger.getTriggerId()));

        errorInfo(() -> triggers.getTrigger(ref(workspace, trigger.getTriggerId())), Status.Code.NOT_FOUND);
        errorInfo(() -> triggers.deleteTrigger(ref(workspace, trigger.getTriggerId())), Status.Code.NOT_FOUND);
        errorInfo(() -> triggers.getTrigger(ref(workspace, "not-a-uuid")), Status.Code.NOT_FOUND);
        assertThat(triggers.listTriggers(ListTriggersRequest.newBuilder().setWorkspace(workspace).build())
                .getTriggersList()).isEmpty();
        assertThat(triggers.listDeliveries(ListDeliveriesRequest.newBuilder().setWorkspace(workspace)
                .setTriggerId(trigger.getTriggerId()).build()).getDeliveriesList()).isEmpty();
    }

    @Test
    void anUpdateReplacesTheDefinitionAndBumpsTheVersion() throws IOException {
        String workspace = workspace();
        Trigger created = create(workspace, definition("Cart recovery"));
        String edited = definition("Cart rescue").replace("Your cart: ", "Still yours: ")
                .replace("\"gte\": 10", "\"gte\": 20");

        Trigger updated = update(workspace, created.getTriggerId(), edited, 1);

        assertThat(updated.getTriggerId()).isEqualTo(created.getTriggerId());
        assertThat(updated.getName()).isEqualTo("Cart rescue");
        assertThat(updated.getVersion()).isEqualTo(2);
        assertThat(updated.getCreatedAtMs()).isEqualTo(created.getCreatedAtMs());
        assertThat(updated.getUpdatedAtMs()).isGreaterThanOrEqualTo(created.getUpdatedAtMs());
        assertThat(updated.getStatus()).isEqualTo("active");
        JsonNode expected = JSON.readTree(edited);
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.path("action").path("webhook")).put("secret", "********");
        assertThat(JSON.readTree(updated.getDefinitionJson().toByteArray())).isEqualTo(expected);
        assertThat(triggers.getTrigger(ref(workspace, created.getTriggerId()))).isEqualTo(updated);
        assertThat(triggers.listTriggers(ListTriggersRequest.newBuilder().setWorkspace(workspace).build())
                .getTriggersList()).containsExactly(updated);

        // What a read hands out, sent back as it is: the masked secret stands for the stored one.
        Trigger roundTripped = update(workspace, created.getTriggerId(), updated.getDefinitionJson().toStringUtf8(), 0);
        assertThat(roundTripped.getVersion()).isEqualTo(3);
        assertThat(roundTripped.getDefinitionJson()).isEqualTo(updated.getDefinitionJson());
    }

    @Test
    void anInvalidUpdateIsRejectedAsACreateWouldBeAndLeavesTheTriggerAsItWas() throws InvalidProtocolBufferException {
        String workspace = workspace();
        Trigger created = create(workspace, definition("Cart recovery"));
        String id = created.getTriggerId();
        String withAudience = definition("Cart recovery")
                .replace("\"when\":", "\"audience\": {\"trait\": \"plan\", \"eq\": \"pro\"}, \"when\":");
        String brokenTemplate = definition("Cart recovery").replace("Your cart: {event.properties.price.money}", "{#if x}open");
        // email, sms and push may go through the workspace's provider; the webhook channel needs its webhook.
        String webhookWithoutWebhook = definition("Cart recovery").replace("\"channel\": \"email\"", "\"channel\": \"webhook\"")
                .replaceAll("\"webhook\": \\{[^}]*},", "");

        ErrorInfo audience = errorInfo(() -> update(workspace, id, withAudience, 1), Status.Code.INVALID_ARGUMENT);
        ErrorInfo template = errorInfo(() -> update(workspace, id, brokenTemplate, 1), Status.Code.INVALID_ARGUMENT);
        ErrorInfo webhook = errorInfo(() -> update(workspace, id, webhookWithoutWebhook, 1), Status.Code.INVALID_ARGUMENT);
        ErrorInfo json = errorInfo(() -> update(workspace, id, "{\"name\": ", 1), Status.Code.INVALID_ARGUMENT);
        ErrorInfo empty = errorInfo(() -> update(workspace, id, "", 1), Status.Code.INVALID_ARGUMENT);

        assertThat(audience.getReason()).isEqualTo("UNSUPPORTED_AUDIENCE");
        assertThat(audience.getMetadataMap()).containsEntry("field", "/audience/trait");
        assertThat(template.getReason()).isEqualTo("INVALID_TEMPLATE");
        assertThat(template.getMetadataMap()).containsEntry("field", "/action/template/body");
        assertThat(webhook.getReason()).isEqualTo("MISSING_FIELD");
        assertThat(webhook.getMetadataMap()).containsEntry("field", "/action/webhook");
        assertThat(json.getReason()).isEqualTo("INVALID_JSON");
        assertThat(empty.getReason()).isEqualTo("MISSING_FIELD");
        assertThat(triggers.getTrigger(ref(workspace, id))).isEqualTo(created);
    }

    @Test
    void anUpdateMadeAgainstAnOlderVersionConflicts() throws InvalidProtocolBufferException {
        String workspace = workspace();
        String id = create(workspace, definition("Cart recovery")).getTriggerId();
        Trigger second = update(workspace, id, definition("Second"), 1);

        ErrorInfo stale = errorInfo(() -> update(workspace, id, definition("Stale"), 1), Status.Code.FAILED_PRECONDITION);
        ErrorInfo ahead = errorInfo(() -> update(workspace, id, definition("Ahead"), 7), Status.Code.FAILED_PRECONDITION);
        ErrorInfo negative = errorInfo(() -> update(workspace, id, definition("Negative"), -1),
                Status.Code.INVALID_ARGUMENT);

        assertThat(stale.getReason()).isEqualTo("VERSION_CONFLICT");
        assertThat(stale.getMetadataMap()).containsEntry("field", "/expected_version");
        assertThat(ahead.getReason()).isEqualTo("VERSION_CONFLICT");
        assertThat(negative.getReason()).isEqualTo("INVALID_VERSION");
        assertThat(triggers.getTrigger(ref(workspace, id))).isEqualTo(second);
        assertThat(update(workspace, id, definition("Unchecked"), 0).getVersion()).isEqualTo(3);
    }

    @Test
    void updatesReachOnlyLiveTriggersOfTheWorkspaceAndKeepNamesUnique() throws InvalidProtocolBufferException {
        String workspace = workspace();
        Trigger mine = create(workspace, definition("Mine"));
        create(workspace, definition("Taken"));
        Trigger doomed = create(workspace, definition("Doomed"));
        triggers.deleteTrigger(ref(workspace, doomed.getTriggerId()));

        ErrorInfo elsewhere = errorInfo(() -> update(workspace(), mine.getTriggerId(), definition("Mine"), 0),
                Status.Code.NOT_FOUND);
        ErrorInfo deleted = errorInfo(() -> update(workspace, doomed.getTriggerId(), definition("Doomed"), 0),
                Status.Code.NOT_FOUND);
        ErrorInfo notAnId = errorInfo(() -> update(workspace, "not-a-uuid", definition("Mine"), 0), Status.Code.NOT_FOUND);
        ErrorInfo taken = errorInfo(() -> update(workspace, mine.getTriggerId(), definition("Taken"), 0),
                Status.Code.ALREADY_EXISTS);

        assertThat(elsewhere.getReason()).isEqualTo("TRIGGER_NOT_FOUND");
        assertThat(deleted.getReason()).isEqualTo("TRIGGER_NOT_FOUND");
        assertThat(notAnId.getReason()).isEqualTo("TRIGGER_NOT_FOUND");
        assertThat(taken.getReason()).isEqualTo("TRIGGER_NAME_TAKEN");
        assertThat(taken.getMetadataMap()).containsEntry("field", "/name");
        assertThat(triggers.getTrigger(ref(workspace, mine.getTriggerId()))).isEqualTo(mine);
        assertThat(update(workspace, mine.getTriggerId(), definition("Mine"), 1).getVersion())
                .as("a trigger keeps its own name").isEqualTo(2);
        assertThat(update(workspace, mine.getTriggerId(), definition("Doomed"), 2).getName())
                .as("the name of a deleted trigger is free").isEqualTo("Doomed");
    }

    @Test
    void pausingAndResumingAreIdempotentAndKeepTheDefinitionAndVersion() throws InvalidProtocolBufferException {
        String workspace = workspace();
        Trigger created = create(workspace, definition("Pausable"));
        TriggerRef ref = ref(workspace, created.getTriggerId());

        Trigger paused = triggers.pauseTrigger(ref);
        Trigger pausedAgain = triggers.pauseTrigger(ref);
        Trigger edited = update(workspace, created.getTriggerId(), definition("Pausable, edited"), 1);
        Trigger resumed = triggers.resumeTrigger(ref);
        Trigger resumedAgain = triggers.resumeTrigger(ref);

        assertThat(paused.getStatus()).isEqualTo("paused");
        assertThat(paused.getVersion()).isEqualTo(1);
        assertThat(paused.getDefinitionJson()).isEqualTo(created.getDefinitionJson());
        assertThat(paused.getUpdatedAtMs()).isGreaterThanOrEqualTo(created.getUpdatedAtMs());
        assertThat(pausedAgain).isEqualTo(paused);
        assertThat(edited.getStatus()).as("an edit does not resume").isEqualTo("paused");
        assertThat(resumed.getStatus()).isEqualTo("active");
        assertThat(resumed.getVersion()).isEqualTo(2);
        assertThat(resumedAgain).isEqualTo(resumed);
        assertThat(triggers.getTrigger(ref)).isEqualTo(resumed);

        TriggerRef elsewhere = ref(workspace(), created.getTriggerId());
        assertThat(errorInfo(() -> triggers.pauseTrigger(elsewhere), Status.Code.NOT_FOUND).getReason())
                .isEqualTo("TRIGGER_NOT_FOUND");
        assertThat(errorInfo(() -> triggers.resumeTrigger(elsewhere), Status.Code.NOT_FOUND).getReason())
                .isEqualTo("TRIGGER_NOT_FOUND");
        triggers.deleteTrigger(ref);
        errorInfo(() -> triggers.pauseTrigger(ref), Status.Code.NOT_FOUND);
        errorInfo(() -> triggers.resumeTrigger(ref), Status.Code.NOT_FOUND);
    }

    @Test
    void theMaskIsNoSecretToCreateWith() throws InvalidProtocolBufferException {
        String masked = definition("Masked").replace("s3cret", "********");

        ErrorInfo error = errorInfo(() -> create(workspace(), masked), Status.Code.INVALID_ARGUMENT);

        assertThat(error.getReason()).isEqualTo("INVALID_SECRET");
        assertThat(error.getMetadataMap()).containsEntry("field", "/action/webhook/secret");
    }

    @Test
    void rejectsBadPagingArguments() throws InvalidProtocolBufferException {
        String workspace = workspace();
        Trigger trigger = create(workspace, definition("Paged"));
        ListDeliveriesRequest.Builder request = ListDeliveriesRequest.newBuilder().setWorkspace(workspace)
                .setTriggerId(trigger.getTriggerId());

        ErrorInfo size = errorInfo(() -> triggers.listDeliveries(request.clone().setPageSize(-1).build()),
                Status.Code.INVALID_ARGUMENT);
        ErrorInfo token = errorInfo(() -> triggers.listDeliveries(request.clone().setPageToken("forged").build()),
                Status.Code.INVALID_ARGUMENT);

        assertThat(size.getMetadataMap()).containsEntry("field", "/page_size");
        assertThat(token.getReason()).isEqualTo("INVALID_PAGE_TOKEN");
    }

    static ErrorInfo errorInfo(ThrowableAssert.ThrowingCallable call, Status.Code code)
            throws InvalidProtocolBufferException {
        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(failure).as("expected a gRPC failure").isNotNull();
        assertThat(failure.getStatus().getCode()).isEqualTo(code);
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        assertThat(status).isNotNull();
        return status.getDetails(0).unpack(ErrorInfo.class);
    }
}
