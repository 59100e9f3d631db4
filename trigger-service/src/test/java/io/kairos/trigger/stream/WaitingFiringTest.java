package io.kairos.trigger.stream;

import com.google.protobuf.ByteString;
import io.kairos.api.consent.CheckRequest;
import io.kairos.api.events.MembershipChange;
import io.kairos.api.events.ProfileMerged;
import io.kairos.api.events.ResolvedEvent;
import io.kairos.api.trigger.CreateTriggerRequest;
import io.kairos.api.trigger.Delivery;
import io.kairos.api.trigger.ListDeliveriesRequest;
import io.kairos.api.trigger.TriggerServiceGrpc;
import io.kairos.trigger.domain.Firing;
import io.kairos.trigger.store.PendingFirings;
import io.kairos.trigger.testing.KafkaTopics;
import io.kairos.trigger.testing.ScriptedConsentService;
import io.kairos.trigger.testing.ScriptedSegmentService;
import io.kairos.trigger.testing.WebhookReceiver;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.kairos.trigger.stream.TriggerFiringTest.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Firings that wait or are held back, on the real stack: the unless window of cart recovery (an order
 * inside it cancels the firing), a wait that restarts on each entry, quiet hours deferring a send to
 * their end, re-entry refused, waits left behind by a stopped instance, and claimers that never take
 * the same firing twice.
 */
@QuarkusTest
class WaitingFiringTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(2);

    private static WebhookReceiver receiver;
    private static KafkaTopics kafka;

    @GrpcClient("trigger")
    TriggerServiceGrpc.TriggerServiceBlockingStub triggers;

    @Inject
    @GrpcService
    ScriptedConsentService consent;

    @Inject
    @GrpcService
    ScriptedSegmentService segments;

    @Inject
    PendingFirings pending;

    @Inject
    Pool pool;

    private final String workspace = "ws-" + UUID.randomUUID();

    @BeforeAll
    static void startCollaborators() throws IOException {
        receiver = new WebhookReceiver();
        kafka = new KafkaTopics();
    }

    @AfterAll
    static void stopCollaborators() {
        receiver.close();
        kafka.close();
    }

    @Test
    void aCartLeftAloneIsRecoveredAfterTheWaitAndAnOrderInsideItCancelsTheRecovery() {
        String leftAlone = "p-" + UUID.randomUUID();
        String ordered = "p-" + UUID.randomUUID();
        consent.allow(workspace, leftAlone);
        consent.allow(workspace, ordered);
        String triggerId = create("""
                {"name": "Cart recovery", "when": {"event": "Product Added"},
                 "unless": {"event": "Order Completed", "within": "PT2S"}, %s}""");
        Instant added = Instant.now();

        send(leftAlone, "Product Added", "{\"name\": \"Red Shoe\"}");
        send(ordered, "Product Added", "{\"name\": \"Blue Shoe\"}");
        send(ordered, "Order Completed", "{}");

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(triggerId, ordered)).singleElement()
                .satisfies(cancelled -> {
                    assertThat(cancelled.getOutcome()).isEqualTo("skipped");
                    assertThat(cancelled.getReason()).isEqualTo("cancelled: Order Completed came within the wait");
                }));
        assertThat(waiting(ordered)).as("nothing left to fire").isZero();

        await().atMost(DEADLINE).until(() -> receiver.forTrigger(triggerId).size() == 1);
        WebhookReceiver.Received recovery = receiver.forTrigger(triggerId).getFirst();
        assertThat(recovery.json().path("profileId").asText()).isEqualTo(leftAlone);
        assertThat(recovery.json().at("/event/properties/name").asText()).isEqualTo("Red Shoe");
        assertThat(recovery.at()).as("not before the wait ended").isAfterOrEqualTo(added.plus(WAIT));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(triggerId, leftAlone)).singleElement()
                .satisfies(sent -> assertThat(sent.getOutcome()).isEqualTo("sent")));
        assertThat(waiting(leftAlone)).isZero();
    }

    @Test
    void theAudienceIsCheckedWhenTheFiringGoesOutAndLeavingItCancelsTheWait() {
        String member = "p-" + UUID.randomUUID();
        String outsider = "p-" + UUID.randomUUID();
        String leaver = "p-" + UUID.randomUUID();
        for (String profile : List.of(member, outsider, leaver)) {
            consent.allow(workspace, profile);
        }
        segments.enter(workspace, member, "seg-hv");
        segments.enter(workspace, leaver, "seg-hv");
        String triggerId = create("""
                {"name": "Cart recovery, high value", "when": {"event": "Product Added"},
                 "unless": {"event": "Order Completed", "within": "PT3S"},
                 "audience": {"segment": "seg-hv"}, "cancelOnAudienceExit": true, %s}""");

        for (String profile : List.of(member, outsider, leaver)) {
            send(profile, "Product Added", "{\"name\": \"Red Shoe\"}");
        }
        await().atMost(DEADLINE).until(() -> waiting(leaver) == 1);
        segments.exit(workspace, leaver, "seg-hv");
        kafka.send(KafkaTopics.MEMBERSHIP, workspace + ":" + leaver, TriggerFiringTest.membership(workspace, leaver, "seg-hv",
                UUID.randomUUID().toString(), MembershipChange.Transition.EXITED, "{}"));

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(triggerId, leaver)).singleElement()
                .satisfies(cancelled -> assertThat(cancelled.getReason()).isEqualTo("cancelled: left the audience seg-hv")));
        await().atMost(DEADLINE).until(() -> deliveries(triggerId, member).size() == 1 && deliveries(triggerId, outsider).size() == 1);
        assertThat(deliveries(triggerId, member)).extracting(Delivery::getOutcome).containsExactly("sent");
        assertThat(deliveries(triggerId, outsider)).extracting(Delivery::getOutcome, Delivery::getReason)
                .containsExactly(tuple("skipped", "audience: not a member of segment seg-hv"));
        assertThat(receiver.forTrigger(triggerId)).extracting(request -> request.json().path("profileId").asText())
                .containsExactly(member);
    }

    @Test
    void aRecurringEntryRestartsTheWaitAndOnlyTheLatestCartIsRecovered() {
        String profile = "p-" + UUID.randomUUID();
        consent.allow(workspace, profile);
        String triggerId = create("""
                {"name": "Cart recovery", "when": {"event": "Product Added"},
                 "unless": {"event": "Order Completed", "within": "PT2S", "restartOnEntry": true}, %s}""");

        send(profile, "Product Added", "{\"name\": \"Red Shoe\"}");
        String latest = send(profile, "Product Added", "{\"name\": \"Blue Shoe\"}");

        await().atMost(DEADLINE).until(() -> receiver.forTrigger(triggerId).size() == 1);
        await().atMost(DEADLINE).until(() -> waiting(profile) == 0);
        assertThat(receiver.forTrigger(triggerId)).singleElement().satisfies(recovery -> {
            assertThat(recovery.json().at("/event/properties/name").asText()).isEqualTo("Blue Shoe");
            assertThat(recovery.idempotencyKey()).isEqualTo(Firing.firingId(UUID.fromString(triggerId), latest).toString());
        });
        assertThat(deliveries(triggerId, profile)).extracting(Delivery::getOutcome).containsExactly("sent");
    }

    @Test
    void quietHoursDeferTheSendToTheirEndAndItGoesOutThen() {
        String profile = "p-" + UUID.randomUUID();
        Instant quietUntil = Instant.now().plus(WAIT);
        consent.quietUntil(workspace, profile, quietUntil);
        String triggerId = create("""
                {"name": "Browse follow-up", "when": {"event": "Product Viewed"}, %s}""");

        String messageId = send(profile, "Product Viewed", "{\"name\": \"Red Shoe\"}", "America/New_York");

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(triggerId, profile)).singleElement()
                .satisfies(deferred -> {
                    assertThat(deferred.getOutcome()).isEqualTo("deferred");
                    assertThat(deferred.getReason()).startsWith("consent: deferred until " + Instant.ofEpochMilli(quietUntil.toEpochMilli()));
                }));
        await().atMost(DEADLINE).until(() -> receiver.forTrigger(triggerId).size() == 1);
        assertThat(receiver.forTrigger(triggerId).getFirst().at()).isAfterOrEqualTo(quietUntil);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(deliveries(triggerId, profile)).singleElement()
                .satisfies(sent -> {
                    assertThat(sent.getOutcome()).isEqualTo("sent");
                    assertThat(sent.getFiringId()).isEqualTo(Firing.firingId(UUID.fromString(triggerId), messageId).toString());
                }));
        List<CheckRequest> checks = consent.checks(workspace, profile);
        assertThat(checks).hasSize(2).allSatisfy(check -> {
            assertThat(check.getEventTimezone()).isEqualTo("America/New_York");
            assertThat(check.getIgnoreQuietHours()).isFalse();
        });
        assertThat(checks.get(1).getAtMs()).as("asked again once the quiet hours ended").isGreaterThanOrEqualTo(quietUntil.toEpochMilli());
    }

    @Test
    void aOncePerDayTriggerFiresForTheFirstEntryAndLogsTheOthersAsRefusedReentries() {
        String profile = "p-" + UUID.randomUUID();
        consent.allow(workspace, profile);
        String triggerId = create("""
                {"name": "Daily browse nudge", "when": {"event": "Product Viewed"},
                 "reentry": {"policy": "oncePer", "window": "P1D"}, %s}""");

        String first = send(profile, "Product Viewed", "{\"name\": \"Red Shoe\"}");
        send(profile, "Product Viewed", "{\"name\": \"Blue Shoe\"}");
        send(profile, "Product Viewed", "{\"name\": \"Green Shoe\"}");

        await().atMost(DEADLINE).until(() -> deliveries(triggerId, profile).size() == 3);
        assertThat(deliveries(triggerId, profile)).extracting(Delivery::getOutcome, Delivery::getReason).containsExactlyInAnyOrder(
                tuple("sent", ""),
                tuple("skipped", "re-entry: the trigger fired for this profile within PT24H (oncePer)"),
                tuple("skipped", "re-entry: the trigger fired for this profile within PT24H (oncePer)"));
        assertThat(receiver.forTrigger(triggerId)).singleElement().satisfies(nudge ->
                assertThat(nudge.idempotencyKey()).isEqualTo(Firing.firingId(UUID.fromString(triggerId), first).toString()));
    }

    @Test
    void aTriggersOwnCapInCalendarDaysHoldsBackTheSecondMessageOfTheDay() {
        String profile = "p-" + UUID.randomUUID();
        consent.allow(workspace, profile);
        String triggerId = create("""
                {"name": "Browse nudge", "when": {"event": "Product Viewed"},
                 "frequencyCap": {"max": 1, "per": "P1D", "calendarDays": true}, %s}""");

        send(profile, "Product Viewed", "{\"name\": \"Red Shoe\"}", "America/Los_Angeles");
        send(profile, "Product Viewed", "{\"name\": \"Blue Shoe\"}", "America/Los_Angeles");

        await().atMost(DEADLINE).until(() -> deliveries(triggerId, profile).size() == 2);
        assertThat(deliveries(triggerId, profile)).extracting(Delivery::getOutcome, Delivery::getReason).containsExactlyInAnyOrder(
                tuple("sent", ""), tuple("skipped", "frequency cap: this trigger sends at most 1 per 1 local day"));
        assertThat(receiver.forTrigger(triggerId)).hasSize(1);
    }

    @Test
    void theWorkspacesChannelCapCountsEveryTriggersMessagesOfThatPurposeInTheRecipientsCalendarDays() {
        String profile = "p-" + UUID.randomUUID();
        consent.allow(workspace, profile);
        consent.policies(workspace, """
                {"defaultTimezone": "America/New_York", "quietHours": {},
                 "frequencyCaps": [{"channel": "email", "purpose": "marketing", "max": 1, "per": "P7D", "calendarDays": true},
                                   {"channel": "web", "max": 1, "per": "P1D"}]}""");
        String welcome = create("""
                {"name": "Welcome", "when": {"event": "Signed Up"}, %s}""");
        String nudge = create("""
                {"name": "Browse nudge", "when": {"event": "Product Viewed"}, %s}""");

        send(profile, "Signed Up", "{\"name\": \"-\"}");
        await().atMost(DEADLINE).until(() -> deliveries(welcome, profile).size() == 1);
        send(profile, "Product Viewed", "{\"name\": \"Red Shoe\"}");

        await().atMost(DEADLINE).until(() -> deliveries(nudge, profile).size() == 1);
        assertThat(deliveries(welcome, profile)).extracting(Delivery::getOutcome).containsExactly("sent");
        assertThat(deliveries(nudge, profile)).singleElement().satisfies(capped -> {
            assertThat(capped.getOutcome()).isEqualTo("skipped");
            assertThat(capped.getReason()).isEqualTo("frequency cap: at most 1 marketing email messages per 7 local days");
        });
        assertThat(receiver.forTrigger(nudge)).isEmpty();
    }

    @Test
    void aFiringAtATimeOfDayGoesOutAtThatTimeInTheRecipientsZone() {
        String profile = "p-" + UUID.randomUUID();
        consent.allow(workspace, profile);
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        ZonedDateTime soon = ZonedDateTime.now(tokyo).plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        String triggerId = create("""
                {"name": "Morning digest", "when": {"event": "Product Viewed"}, "at": "%s", %%s}"""
                .formatted(soon.toLocalTime().format(DateTimeFormatter.ISO_LOCAL_TIME)));

        send(profile, "Product Viewed", "{\"name\": \"Red Shoe\"}", "Asia/Tokyo");

        await().atMost(DEADLINE).until(() -> receiver.forTrigger(triggerId).size() == 1);
        assertThat(receiver.forTrigger(triggerId).getFirst().at()).isAfterOrEqualTo(soon.toInstant());
    }

    @Test
    void aTriggerThatDoesNotRespectQuietHoursAsksAboutConsentOnly() {
        String profile = "p-" + UUID.randomUUID();
        consent.allow(workspace, profile);
        String triggerId = create("""
                {"name": "Order receipt", "when": {"event": "Order Completed"}, "respectQuietHours": false, %s}""");

        send(profile, "Order Completed", "{\"name\": \"Red Shoe\"}");

        await().atMost(DEADLINE).until(() -> receiver.forTrigger(triggerId).size() == 1);
        assertThat(consent.checks(workspace, profile)).singleElement()
                .satisfies(check -> assertThat(check.getIgnoreQuietHours()).isTrue());
    }

    @Test
    void aWaitLeftByAStoppedInstanceFiresOnceItsLeaseEndsALiveClaimIsLeftAloneAndAnUnreadableOneIsDropped() {
        String profile = "p-" + UUID.randomUUID();
        consent.allow(workspace, profile);
        String triggerId = create("""
                {"name": "Cart recovery", "when": {"event": "Product Added"}, "delay": "PT1H", %s}""");
        Instant now = Instant.now();
        UUID abandoned = UUID.randomUUID();
        UUID claimedElsewhere = UUID.randomUUID();
        leaveWait(abandoned, triggerId, profile, now.minusSeconds(5), now.minusSeconds(1));
        UUID unreadable = UUID.randomUUID();
        pool.preparedQuery("""
                        insert into pending_firing (firing_id, wait_key, workspace, trigger_id, profile_id, channel, cause_json,
                                                    traits_json, entered_at, due_at, reason)
                        values ($1, $2, $3, $4, $5, 'email', '"not a cause"'::jsonb, '{}'::jsonb, now(), now(), 'delay')""")
                .execute(Tuple.of(unreadable, unreadable.toString(), workspace, UUID.fromString(triggerId), profile))
                .await().indefinitely();
        leaveWait(claimedElsewhere, triggerId, profile, now.minusSeconds(5), now.plus(Duration.ofHours(1)));

        await().atMost(DEADLINE).until(() -> receiver.forTrigger(triggerId).size() == 1);
        assertThat(receiver.forTrigger(triggerId).getFirst().idempotencyKey()).isEqualTo(abandoned.toString());
        await().atMost(DEADLINE).until(() -> deliveries(triggerId, profile).size() == 1);
        List<UUID> left = new ArrayList<>();
        pool.preparedQuery("select firing_id from pending_firing where workspace = $1").execute(Tuple.of(workspace))
                .await().indefinitely().forEach(row -> left.add(row.getUUID(0)));
        assertThat(left).as("the live claim waits; the unreadable one is gone").containsExactly(claimedElsewhere);
    }

    @Test
    void aMergeMovesTheMergedProfilesWaitsAndDeliveriesToTheSurvivor() {
        String merged = "p-" + UUID.randomUUID();
        String survivor = "p-" + UUID.randomUUID();
        consent.allow(workspace, merged);
        String receipt = create("""
                {"name": "Receipt", "when": {"event": "Order Completed"}, "respectQuietHours": false, %s}""");
        String recovery = create("""
                {"name": "Cart recovery", "when": {"event": "Product Added"},
                 "unless": {"event": "Order Completed", "within": "PT1H", "restartOnEntry": true}, %s}""");
        send(merged, "Order Completed", "{\"name\": \"Red Shoe\"}");
        send(merged, "Product Added", "{\"name\": \"Blue Shoe\"}");
        send(survivor, "Product Added", "{\"name\": \"Green Shoe\"}");
        await().atMost(DEADLINE).until(() -> deliveries(receipt, merged).size() == 1 && waiting(merged) == 1
                && waiting(survivor) == 1);

        kafka.send(KafkaTopics.RESOLVED, workspace + ":" + survivor, ResolvedEvent.newBuilder().setWorkspace(workspace)
                .setProfileId(survivor).setMerged(ProfileMerged.newBuilder().setSurvivorId(survivor).addMergedIds(merged)
                        .setAtMs(System.currentTimeMillis())).build().toByteArray());

        await().atMost(DEADLINE).until(() -> waiting(merged) == 0);
        assertThat(pool.preparedQuery("select cause_json->'properties'->>'name' from pending_firing where workspace = $1")
                .execute(Tuple.of(workspace)).await().indefinitely()).extracting(row -> row.getString(0))
                .as("one restarting wait per trigger: the survivor's own").containsExactly("Green Shoe");
        assertThat(deliveries(receipt, survivor)).extracting(Delivery::getOutcome).containsExactly("sent");
        assertThat(deliveries(receipt, merged)).isEmpty();
        // The survivor's order cancels its wait.
        consent.allow(workspace, survivor);
        send(survivor, "Order Completed", "{\"name\": \"Blue Shoe\"}");
        await().atMost(DEADLINE).until(() -> waiting(survivor) == 0);
        assertThat(deliveries(recovery, survivor)).extracting(Delivery::getReason)
                .containsExactly("cancelled: Order Completed came within the wait");
    }

    @Test
    void claimersWorkingAtOnceNeverTakeTheSameFiring() {
        String triggerId = create("""
                {"name": "Far future", "when": {"event": "Product Added"}, "delay": "PT1H", %s}""");
        // Due far ahead, so that only this test's claims (made as if at that time) reach them; what an
        // interrupted earlier run of it left there goes first.
        pool.query("delete from pending_firing where due_at > now() + interval '1000 days'").execute().await().indefinitely();
        Instant then = Instant.now().plus(Duration.ofDays(3650));
        for (int i = 0; i < 400; i++) {
            leaveWait(UUID.randomUUID(), triggerId, "p-" + i, then.minusSeconds(60), null, then.minusSeconds(1));
        }

        List<List<PendingFirings.Claimed>> batches = Uni.join().all(List.of(
                        pending.claimDue(then, 150, then.plusSeconds(60)), pending.claimDue(then, 150, then.plusSeconds(60)),
                        pending.claimDue(then, 150, then.plusSeconds(60)), pending.claimDue(then, 150, then.plusSeconds(60))))
                .andFailFast().await().atMost(DEADLINE);
        List<PendingFirings.Claimed> rest = pending.claimDue(then, 400, then.plusSeconds(60)).await().atMost(DEADLINE);

        // Other tests' waits are due before then too: only this test's count.
        List<UUID> claimed = new ArrayList<>();
        batches.forEach(batch -> batch.forEach(c -> ours(c).ifPresent(claimed::add)));
        rest.forEach(c -> ours(c).ifPresent(claimed::add));
        Set<UUID> distinct = new HashSet<>(claimed);
        assertThat(claimed).as("no firing claimed twice").hasSameSizeAs(distinct).hasSize(400);
        assertThat(pending.claimDue(then, 400, then.plusSeconds(60)).await().atMost(DEADLINE)).extracting(this::ours)
                .as("all held").noneMatch(Optional::isPresent);
        pool.preparedQuery("delete from pending_firing where workspace = $1").execute(Tuple.of(workspace)).await().indefinitely();
    }

    private Optional<UUID> ours(PendingFirings.Claimed claimed) {
        return Optional.of(claimed.pending().firing()).filter(firing -> firing.workspace().equals(workspace)).map(Firing::firingId);
    }

    private String create(String definition) {
        String action = """
                "action": {"channel": "email", "purpose": "marketing",
                           "webhook": {"url": "%s", "secret": "s3cret"},
                           "template": {"subject": "You left {event.properties.name} behind", "body": "Come back"}}"""
                .formatted(receiver.url("/send"));
        return triggers.createTrigger(CreateTriggerRequest.newBuilder().setWorkspace(workspace)
                .setDefinitionJson(ByteString.copyFromUtf8(definition.formatted(action))).build()).getTriggerId();
    }

    private String send(String profile, String event, String properties) {
        return send(profile, event, properties, null);
    }

    /** Produces a resolved track event, with {@code context.timezone} when given; returns its message id. */
    private String send(String profile, String event, String properties, String timezone) {
        String messageId = UUID.randomUUID().toString();
        kafka.send(KafkaTopics.RESOLVED, workspace + ":" + profile,
                track(workspace, profile, messageId, event, properties, "{}", timezone));
        return messageId;
    }

    private List<Delivery> deliveries(String triggerId, String profile) {
        return triggers.listDeliveries(ListDeliveriesRequest.newBuilder().setWorkspace(workspace).setTriggerId(triggerId)
                .setProfileId(profile).build()).getDeliveriesList();
    }

    private long waiting(String profile) {
        return pool.preparedQuery("select count(*) from pending_firing where workspace = $1 and profile_id = $2")
                .execute(Tuple.of(workspace, profile)).await().indefinitely().iterator().next().getLong(0);
    }

    private void leaveWait(UUID firingId, String triggerId, String profile, Instant entered, Instant claimedUntil) {
        leaveWait(firingId, triggerId, profile, entered, claimedUntil, entered.plusSeconds(1));
    }

    /** A waiting firing as an instance that stopped would have left it, claimed until {@code claimedUntil}. */
    private void leaveWait(UUID firingId, String triggerId, String profile, Instant entered, Instant claimedUntil,
                           Instant due) {
        String cause = """
                {"kind": "event", "messageId": "%s", "type": "track", "name": "Product Added", "channel": "web",
                 "timestamp": "%s", "properties": {"name": "Red Shoe"}, "context": {}}""".formatted(firingId, entered);
        pool.preparedQuery("""
                        insert into pending_firing (firing_id, wait_key, workspace, trigger_id, profile_id, channel, cause_json,
                                                    traits_json, entered_at, due_at, reason, claimed_until)
                        values ($1, $2, $3, $4, $5, 'email', $6::text::jsonb, '{}'::jsonb, $7, $8, 'delay', $9)""")
                .execute(Tuple.from(new Object[]{firingId, firingId.toString(), workspace, UUID.fromString(triggerId), profile,
                        cause, entered.atOffset(ZoneOffset.UTC), due.atOffset(ZoneOffset.UTC),
                        claimedUntil == null ? null : claimedUntil.atOffset(ZoneOffset.UTC)}))
                .await().indefinitely();
    }
}
