package io.kairos.trigger.domain;

import io.kairos.trigger.template.QuteMessageTemplates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TriggerDefinitionParserTest {

    static final String CART_RECOVERY = """
            {"name": "Cart recovery",
             "when": {"event": "Product Added", "where": [{"property": "price", "gte": 10}]},
             "action": {"channel": "email", "purpose": "marketing",
                        "webhook": {"url": "https://provider.example/send", "secret": "s3cret"},
                        "template": {"subject": "You left {event.properties.name} behind",
                                     "body": "Your cart: {event.properties.price.money}"}}}""";

    private final TriggerDefinitionParser parser = new TriggerDefinitionParser(new QuteMessageTemplates());

    @Test
    void parsesTheDesignExample() {
        TriggerDefinition definition = parser.parse(JsonTrees.parse(CART_RECOVERY));

        assertThat(definition.name()).isEqualTo("Cart recovery");
        assertThat(definition.when()).isEqualTo(new Entry.OnEvent("Product Added",
                List.of(new PropertyFilter("price", Operator.GTE, new BigDecimal("10")))));
        assertThat(definition.action()).isEqualTo(new Action(Channel.EMAIL, "marketing",
                new Action.Webhook(URI.create("https://provider.example/send"), "s3cret"),
                new Action.MessageTemplate("You left {event.properties.name} behind",
                        "Your cart: {event.properties.price.money}")));
    }

    @Test
    void parsesWaitsAndQuietHours() {
        Map<String, Object> recovery = JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/unless",
                "{\"event\": \"Order Completed\", \"within\": \"PT30M\", \"restartOnEntry\": true}");
        Map<String, Object> reminder = JsonTrees.edit(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/delay", "\"P1D\""),
                "/respectQuietHours", "false");

        TriggerDefinition waitsForAnOrder = parser.parse(recovery);
        TriggerDefinition waitsADay = parser.parse(reminder);
        TriggerDefinition atOnce = parser.parse(JsonTrees.parse(CART_RECOVERY));

        assertThat(waitsForAnOrder.unless()).contains(new TriggerDefinition.Unless("Order Completed", Duration.ofMinutes(30), true));
        assertThat(waitsForAnOrder.hold()).isEqualTo(Duration.ofMinutes(30));
        assertThat(waitsForAnOrder.respectQuietHours()).as("the default").isTrue();
        assertThat(waitsADay.delay()).isEqualTo(Duration.ofDays(1));
        assertThat(waitsADay.unless()).isEmpty();
        assertThat(waitsADay.hold()).isEqualTo(Duration.ofDays(1));
        assertThat(waitsADay.respectQuietHours()).isFalse();
        assertThat(atOnce.waits()).isFalse();
        assertThat(atOnce.reentry()).as("the default").isEqualTo(new TriggerDefinition.Reentry.Always());
    }

    @Test
    void parsesTheTriggersOwnFrequencyCap() {
        assertThat(parser.parse(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/frequencyCap",
                "{\"max\": 1, \"per\": \"P1D\", \"calendarDays\": true}")).frequencyCap())
                .contains(new FrequencyCap(1, Duration.ofDays(1), true, new FrequencyCap.Scope.OwnTrigger()));
        assertThat(parser.parse(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/frequencyCap",
                "{\"max\": 3, \"per\": \"PT12H\"}")).frequencyCap())
                .contains(new FrequencyCap(3, Duration.ofHours(12), false, new FrequencyCap.Scope.OwnTrigger()));
        assertThat(parser.parse(JsonTrees.parse(CART_RECOVERY)).frequencyCap()).isEmpty();
    }

    @Test
    void parsesALocalTimeOfDay() {
        assertThat(parser.parse(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/at", "\"09:00\"")).at())
                .contains(LocalTime.of(9, 0));
        assertThat(parser.parse(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/at", "\"18:30:15\"")).at())
                .contains(LocalTime.of(18, 30, 15));
    }

    @Test
    void parsesASegmentAudience() {
        Map<String, Object> highValue = JsonTrees.edit(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/audience",
                "{\"segment\": \"seg-hv\"}"), "/cancelOnAudienceExit", "true");

        assertThat(parser.parse(highValue).audience()).contains(new TriggerDefinition.Audience("seg-hv", true));
        assertThat(parser.parse(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/audience", "{\"segment\": \"seg-hv\"}"))
                .audience()).contains(new TriggerDefinition.Audience("seg-hv", false));
    }

    @Test
    void aKafkaActionNamesItsTopicOutsideKairossOwn() {
        Map<String, Object> toTheBus = JsonTrees.edit(JsonTrees.edit(JsonTrees.edit(JsonTrees.object(CART_RECOVERY),
                "/action/channel", "\"kafka\""), "/action/webhook", null), "/action/kafka", "{\"topic\": \"shop.carts\"}");

        assertThat(parser.parse(toTheBus).action().kafkaTopic()).isEqualTo("shop.carts");
        assertThat(parser.parse(toTheBus).action().webhook()).isNull();
        for (var refused : Map.of("kairos.actions", "RESERVED_TOPIC", "shop carts", "INVALID_TOPIC", "..", "INVALID_TOPIC").entrySet()) {
            assertThatThrownBy(() -> parser.parse(JsonTrees.edit(toTheBus, "/action/kafka",
                    "{\"topic\": \"" + refused.getKey() + "\"}")))
                    .isInstanceOfSatisfying(InvalidDocument.class, e -> {
                        assertThat(e.reason()).isEqualTo(refused.getValue());
                        assertThat(e.pointer()).isEqualTo("/action/kafka/topic");
                    });
        }
        assertThatThrownBy(() -> parser.parse(JsonTrees.edit(toTheBus, "/action/webhook",
                "{\"url\": \"https://x.example\", \"secret\": \"s\"}")))
                .isInstanceOfSatisfying(InvalidDocument.class, e -> assertThat(e.pointer()).isEqualTo("/action/webhook"));
        assertThatThrownBy(() -> parser.parse(JsonTrees.edit(toTheBus, "/action/kafka", null)))
                .isInstanceOfSatisfying(InvalidDocument.class, e -> assertThat(e.pointer()).isEqualTo("/action/kafka"));
    }

    @Test
    void parsesReentryPolicies() {
        assertThat(parser.parse(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/reentry", "{\"policy\": \"once\"}")).reentry())
                .isEqualTo(new TriggerDefinition.Reentry.Once());
        assertThat(parser.parse(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/reentry",
                "{\"policy\": \"oncePer\", \"window\": \"P365D\"}")).reentry())
                .isEqualTo(new TriggerDefinition.Reentry.OncePer(Duration.ofDays(365)));
        assertThat(parser.parse(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/reentry", "{\"policy\": \"always\"}")).reentry())
                .isEqualTo(new TriggerDefinition.Reentry.Always());
    }

    @Test
    void parsesSegmentEntriesAndOptionalParts() {
        TriggerDefinition entered = parser.parse(JsonTrees.parse("""
                {"name": "Welcome VIP", "when": {"segmentEntered": "seg-1"},
                 "action": {"channel": "sms", "purpose": "marketing",
                            "webhook": {"url": "http://sms.example:8080/v1", "secret": "k"},
                            "template": {"body": "Hi {profile.traits.firstName}"}}}"""));
        TriggerDefinition exited = parser.parse(JsonTrees.parse("""
                {"name": "Bye", "when": {"segmentExited": "seg-1"},
                 "action": {"channel": "webhook", "purpose": "personalization",
                            "webhook": {"url": "https://hooks.example/x", "secret": "k"},
                            "template": {"body": "left"}}}"""));

        assertThat(entered.when()).isEqualTo(new Entry.OnSegmentEntered("seg-1"));
        assertThat(entered.when().kind()).isEqualTo("segmentEntered");
        assertThat(entered.action().template().subject()).isNull();
        assertThat(exited.when()).isEqualTo(new Entry.OnSegmentExited("seg-1"));
        assertThat(exited.when().key()).isEqualTo("seg-1");
    }

    @Test
    void inAppActionsArePublishedAndTakeNoWebhook() {
        TriggerDefinition inApp = parser.parse(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/action", """
                {"channel": "in_app", "purpose": "personalization", "template": {"body": "Still thinking about it?"}}"""));

        assertThat(inApp.action()).isEqualTo(new Action(Channel.IN_APP, "personalization", null,
                new Action.MessageTemplate(null, "Still thinking about it?")));
        assertThat(Channel.IN_APP.publishedAsAction()).isTrue();
        assertThat(Channel.values()).filteredOn(Channel::publishedAsAction).containsExactly(Channel.IN_APP);
    }

    @Test
    void parsesEveryOperatorIntoItsOperandType() {
        TriggerDefinition definition = parser.parse(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/when/where", """
                [{"property": "a", "eq": "x"}, {"property": "b", "neq": 2.50}, {"property": "c", "gt": 1},
                 {"property": "d", "lte": -1.5}, {"property": "e", "in": ["x", 1, true]},
                 {"property": "f", "contains": "y"}, {"property": "g", "startsWith": "z"},
                 {"property": "h", "exists": false}, {"property": "i", "withinLast": "P7D"},
                 {"property": "j", "before": "2025-01-31T00:00:00Z"}, {"property": "k", "after": "2025-01-31"}]"""));

        assertThat(((Entry.OnEvent) definition.when()).where()).containsExactly(
                new PropertyFilter("a", Operator.EQ, "x"),
                new PropertyFilter("b", Operator.NEQ, new BigDecimal("2.50")),
                new PropertyFilter("c", Operator.GT, new BigDecimal("1")),
                new PropertyFilter("d", Operator.LTE, new BigDecimal("-1.5")),
                new PropertyFilter("e", Operator.IN, List.of("x", new BigDecimal("1"), true)),
                new PropertyFilter("f", Operator.CONTAINS, "y"),
                new PropertyFilter("g", Operator.STARTS_WITH, "z"),
                new PropertyFilter("h", Operator.EXISTS, false),
                new PropertyFilter("i", Operator.WITHIN_LAST, Duration.ofDays(7)),
                new PropertyFilter("j", Operator.BEFORE, Instant.parse("2025-01-31T00:00:00Z")),
                new PropertyFilter("k", Operator.AFTER, Instant.parse("2025-01-31T00:00:00Z")));
    }

    static Stream<Arguments> invalidDefinitions() {
        return Stream.of(
                arguments("/when/delay", "\"PT30M\"", "UNKNOWN_FIELD", "/when/delay"),
                arguments("/delay", "\"PT0S\"", "INVALID_DURATION", "/delay"),
                arguments("/delay", "\"P1M\"", "INVALID_DURATION", "/delay"),
                arguments("/delay", "30", "INVALID_DURATION", "/delay"),
                arguments("/delay", "\"P91D\"", "DURATION_TOO_LONG", "/delay"),
                arguments("/unless", "\"Order Completed\"", "WRONG_TYPE", "/unless"),
                arguments("/unless", "{\"within\": \"PT30M\"}", "MISSING_FIELD", "/unless/event"),
                arguments("/unless", "{\"event\": \"Order Completed\"}", "MISSING_FIELD", "/unless/within"),
                arguments("/unless", "{\"event\": \"Order Completed\", \"within\": \"-PT1M\"}", "INVALID_DURATION", "/unless/within"),
                arguments("/unless", "{\"event\": \"Order Completed\", \"within\": \"PT1M\", \"restartOnEntry\": \"yes\"}", "WRONG_TYPE", "/unless/restartOnEntry"),
                arguments("/unless", "{\"event\": \"Order Completed\", \"within\": \"PT1M\", \"until\": 1}", "UNKNOWN_FIELD", "/unless/until"),
                arguments("/unless", "{\"event\": \"Product Added\", \"within\": \"PT1M\"}", "CONFLICTING_FIELDS", "/unless/event"),
                arguments("/respectQuietHours", "\"no\"", "WRONG_TYPE", "/respectQuietHours"),
                arguments("/frequencyCap", "{\"per\": \"P1D\"}", "MISSING_FIELD", "/frequencyCap/max"),
                arguments("/frequencyCap", "{\"max\": 0, \"per\": \"P1D\"}", "INVALID_CAP", "/frequencyCap/max"),
                arguments("/frequencyCap", "{\"max\": 1.5, \"per\": \"P1D\"}", "INVALID_CAP", "/frequencyCap/max"),
                arguments("/frequencyCap", "{\"max\": \"3\", \"per\": \"P1D\"}", "INVALID_CAP", "/frequencyCap/max"),
                arguments("/frequencyCap", "{\"max\": 3}", "MISSING_FIELD", "/frequencyCap/per"),
                arguments("/frequencyCap", "{\"max\": 3, \"per\": \"PT36H\", \"calendarDays\": true}", "INVALID_DURATION", "/frequencyCap/per"),
                arguments("/frequencyCap", "{\"max\": 3, \"per\": \"P1D\", \"calendarDays\": 1}", "WRONG_TYPE", "/frequencyCap/calendarDays"),
                arguments("/frequencyCap", "{\"max\": 3, \"per\": \"P1D\", \"channel\": \"email\"}", "UNKNOWN_FIELD", "/frequencyCap/channel"),
                arguments("/at", "\"9am\"", "INVALID_TIME", "/at"),
                arguments("/at", "\"25:00\"", "INVALID_TIME", "/at"),
                arguments("/at", "900", "INVALID_TIME", "/at"),
                arguments("/audience", "{\"trait\": \"plan\", \"eq\": \"pro\"}", "UNSUPPORTED_AUDIENCE", "/audience/trait"),
                arguments("/audience", "{\"segment\": \"vip\", \"within\": \"P1D\"}", "UNSUPPORTED_AUDIENCE", "/audience/within"),
                arguments("/audience", "{}", "UNSUPPORTED_AUDIENCE", "/audience/segment"),
                arguments("/audience", "{\"segment\": 7}", "WRONG_TYPE", "/audience/segment"),
                arguments("/cancelOnAudienceExit", "true", "MISSING_FIELD", "/audience"),
                arguments("/cancelOnAudienceExit", "\"yes\"", "WRONG_TYPE", "/cancelOnAudienceExit"),
                arguments("/action/kafka", "{\"topic\": \"t\"}", "CONFLICTING_FIELDS", "/action/kafka"),
                arguments("/reentry", "\"once\"", "WRONG_TYPE", "/reentry"),
                arguments("/reentry", "{}", "MISSING_FIELD", "/reentry/policy"),
                arguments("/reentry", "{\"policy\": \"twice\"}", "UNKNOWN_POLICY", "/reentry/policy"),
                arguments("/reentry", "{\"policy\": \"oncePer\"}", "MISSING_FIELD", "/reentry/window"),
                arguments("/reentry", "{\"policy\": \"oncePer\", \"window\": \"soon\"}", "INVALID_DURATION", "/reentry/window"),
                arguments("/reentry", "{\"policy\": \"once\", \"window\": \"P1D\"}", "CONFLICTING_FIELDS", "/reentry/window"),
                arguments("/when/at", "\"09:00\"", "UNKNOWN_FIELD", "/when/at"),
                arguments("/chanel", "\"email\"", "UNKNOWN_FIELD", "/chanel"),
                arguments("/a~1b~0c", "1", "UNKNOWN_FIELD", "/a~1b~0c"),
                arguments("/name", null, "MISSING_FIELD", "/name"),
                arguments("/name", "\"  \"", "EMPTY_VALUE", "/name"),
                arguments("/name", "42", "WRONG_TYPE", "/name"),
                arguments("/name", "\"" + "n".repeat(201) + "\"", "TOO_LONG", "/name"),
                arguments("/when", null, "MISSING_FIELD", "/when"),
                arguments("/when", "[]", "WRONG_TYPE", "/when"),
                arguments("/when", "{}", "MISSING_FIELD", "/when"),
                arguments("/when", "{\"event\": \"A\", \"segmentEntered\": \"s\"}", "CONFLICTING_FIELDS", "/when/segmentEntered"),
                arguments("/when", "{\"segmentExited\": \"s\", \"where\": []}", "CONFLICTING_FIELDS", "/when/where"),
                arguments("/when", "{\"event\": \"\"}", "EMPTY_VALUE", "/when/event"),
                arguments("/when/where", "{\"property\": \"a\"}", "WRONG_TYPE", "/when/where"),
                arguments("/when/where/0", "\"price\"", "WRONG_TYPE", "/when/where/0"),
                arguments("/when/where/0", "{\"property\": \"a\", \"equals\": 1}", "UNKNOWN_OPERATOR", "/when/where/0/equals"),
                arguments("/when/where/0", "{\"property\": \"a\", \"gt\": 1, \"lt\": 5}", "MULTIPLE_OPERATORS", "/when/where/0/lt"),
                arguments("/when/where/0", "{\"property\": \"a\"}", "MISSING_OPERATOR", "/when/where/0"),
                arguments("/when/where/0", "{\"eq\": 1}", "MISSING_FIELD", "/when/where/0/property"),
                arguments("/when/where/0", "{\"context\": \"channel\", \"eq\": \"web\"}", "UNSUPPORTED_FIELD", "/when/where/0/context"),
                arguments("/when/where/0", "{\"property\": \"a\", \"gt\": \"10\"}", "INVALID_OPERAND", "/when/where/0/gt"),
                arguments("/when/where/0", "{\"property\": \"a\", \"eq\": [1]}", "INVALID_OPERAND", "/when/where/0/eq"),
                arguments("/when/where/0", "{\"property\": \"a\", \"in\": []}", "INVALID_OPERAND", "/when/where/0/in"),
                arguments("/when/where/0", "{\"property\": \"a\", \"in\": [1, {}]}", "INVALID_OPERAND", "/when/where/0/in/1"),
                arguments("/when/where/0", "{\"property\": \"a\", \"startsWith\": 1}", "INVALID_OPERAND", "/when/where/0/startsWith"),
                arguments("/when/where/0", "{\"property\": \"a\", \"exists\": \"yes\"}", "INVALID_OPERAND", "/when/where/0/exists"),
                arguments("/when/where/0", "{\"property\": \"a\", \"withinLast\": \"30 minutes\"}", "INVALID_OPERAND", "/when/where/0/withinLast"),
                arguments("/when/where/0", "{\"property\": \"a\", \"withinLast\": \"-PT1M\"}", "INVALID_OPERAND", "/when/where/0/withinLast"),
                arguments("/when/where/0", "{\"property\": \"a\", \"before\": \"yesterday\"}", "INVALID_OPERAND", "/when/where/0/before"),
                arguments("/action", null, "MISSING_FIELD", "/action"),
                arguments("/action/channel", "\"fax\"", "UNKNOWN_CHANNEL", "/action/channel"),
                arguments("/action/channel", null, "MISSING_FIELD", "/action/channel"),
                arguments("/action/purpose", "\"spam\"", "UNKNOWN_PURPOSE", "/action/purpose"),
                arguments("/action/webhook/url", "\"ftp://provider.example/send\"", "INVALID_URL", "/action/webhook/url"),
                arguments("/action/webhook/url", "\"/send\"", "INVALID_URL", "/action/webhook/url"),
                arguments("/action/webhook/url", "\"https://exa mple/\"", "INVALID_URL", "/action/webhook/url"),
                arguments("/action/webhook/secret", null, "MISSING_FIELD", "/action/webhook/secret"),
                arguments("/action/webhook/secret", "\"********\"", "INVALID_SECRET", "/action/webhook/secret"),
                arguments("/action/channel", "\"in_app\"", "CONFLICTING_FIELDS", "/action/webhook"),
                arguments("/action/webhook/headers", "{}", "UNKNOWN_FIELD", "/action/webhook/headers"),
                arguments("/action/template/body", null, "MISSING_FIELD", "/action/template/body"),
                arguments("/action/template/body", "\"{#if event}unclosed\"", "INVALID_TEMPLATE", "/action/template/body"),
                arguments("/action/template/subject", "\"{#each}{/if}\"", "INVALID_TEMPLATE", "/action/template/subject"),
                arguments("/action/template/subject", "7", "WRONG_TYPE", "/action/template/subject"));
    }

    @ParameterizedTest(name = "{0} = {1} -> {2} at {3}")
    @MethodSource("invalidDefinitions")
    void reportsTheReasonAndTheJsonPointer(String pointer, String value, String reason, String reportedPointer) {
        Map<String, Object> definition = JsonTrees.edit(JsonTrees.object(CART_RECOVERY), pointer, value);

        assertThatThrownBy(() -> parser.parse(definition))
                .isInstanceOfSatisfying(InvalidDocument.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.pointer()).isEqualTo(reportedPointer);
                });
    }

    @Test
    void emailSmsAndPushWithoutAWebhookGoThroughTheWorkspacesProviderAndAWebhookActionNeedsOne() {
        for (String channel : List.of("email", "sms", "push")) {
            Map<String, Object> viaProvider = JsonTrees.edit(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/action/webhook", null),
                    "/action/channel", "\"" + channel + "\"");

            assertThat(parser.parse(viaProvider).action().webhook()).as(channel).isNull();
        }
        Map<String, Object> bareWebhook = JsonTrees.edit(JsonTrees.edit(JsonTrees.object(CART_RECOVERY), "/action/webhook", null),
                "/action/channel", "\"webhook\"");
        assertThatThrownBy(() -> parser.parse(bareWebhook)).isInstanceOfSatisfying(InvalidDocument.class, e -> {
            assertThat(e.reason()).isEqualTo("MISSING_FIELD");
            assertThat(e.pointer()).isEqualTo("/action/webhook");
        });
    }

    @Test
    void rejectsADocumentThatIsNoObject() {
        assertThatThrownBy(() -> parser.parse(List.of()))
                .isInstanceOfSatisfying(InvalidDocument.class, e -> {
                    assertThat(e.reason()).isEqualTo("WRONG_TYPE");
                    assertThat(e.pointer()).isEmpty();
                });
    }
}
