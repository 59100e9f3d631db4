package io.kairos.consent.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/** Reading, validating, merging and writing workspace policies (DESIGN.md, "Workspace policies"). */
class PoliciesJsonTest {

    private static final String DESIGN_EXAMPLE = """
            {"defaultTimezone": "America/New_York",
             "quietHours": {"email": {"from": "21:00", "to": "08:00"}, "sms": {"from": "21:00", "to": "08:00"}},
             "frequencyCaps": [{"channel": "email", "purpose": "marketing", "max": 3, "per": "P7D"}]}""";
    private static final QuietHours NINE_TO_EIGHT = new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0));

    private static PoliciesChange change(String json) {
        return PoliciesJson.parseChange(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The written contact policies; the seeded jurisdictions, written too, have their own tests. */
    private static String written(Policies policies) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode document = (com.fasterxml.jackson.databind.node.ObjectNode)
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(PoliciesJson.write(policies));
            document.remove(List.of("jurisdictions", "defaultJurisdiction"));
            return document.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertRefused(String json, String reason, String pointer) {
        assertThatThrownBy(() -> change(json))
                .asInstanceOf(type(InvalidConsentInput.class))
                .satisfies(invalid -> {
                    assertThat(invalid.reason()).as("reason").isEqualTo(reason);
                    assertThat(invalid.pointer()).as("pointer").isEqualTo(pointer);
                    assertThat(invalid.getMessage()).as("message").isNotBlank();
                });
    }

    @Test
    void theDesignExampleIsReadAsWritten() {
        Policies policies = Policies.DEFAULTS.with(change(DESIGN_EXAMPLE));

        assertThat(policies).isEqualTo(new Policies(ZoneId.of("America/New_York"),
                Map.of(DeliveryChannel.EMAIL, NINE_TO_EIGHT, DeliveryChannel.SMS, NINE_TO_EIGHT),
                List.of(new FrequencyCap(DeliveryChannel.EMAIL, Optional.of(Purpose.MARKETING), 3, Duration.ofDays(7)))));
        assertThat(written(policies)).isEqualTo("""
                {"defaultTimezone":"America/New_York",\
                "quietHours":{"email":{"from":"21:00","to":"08:00"},"sms":{"from":"21:00","to":"08:00"}},\
                "frequencyCaps":[{"channel":"email","purpose":"marketing","max":3,"per":"P7D"}]}""");
    }

    @Test
    void theDefaultsAreUtcQuietSmsNightsAndNoCaps() {
        assertThat(written(Policies.DEFAULTS)).isEqualTo("""
                {"defaultTimezone":"UTC","quietHours":{"sms":{"from":"21:00","to":"08:00"}},"frequencyCaps":[]}""");
        assertThat(PolicyRevision.DEFAULTS.version()).isZero();
        assertThat(PolicyRevision.DEFAULTS.updatedAt()).isEmpty();
    }

    @Test
    void fieldsLeftOutKeepTheirValues() {
        Policies before = Policies.DEFAULTS.with(change(DESIGN_EXAMPLE));

        assertThat(before.with(change("{}"))).isEqualTo(before);
        Policies after = before.with(change("{\"defaultTimezone\": \"Europe/Berlin\"}"));
        assertThat(after.defaultTimezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(after.quietHours()).isEqualTo(before.quietHours());
        assertThat(after.frequencyCaps()).isEqualTo(before.frequencyCaps());
    }

    @Test
    void quietHoursAreMergedPerChannelAndNullRemovesAChannel() {
        Policies before = Policies.DEFAULTS.with(change(DESIGN_EXAMPLE));

        Policies after = before.with(change("""
                {"quietHours": {"sms": null, "push": {"from": "22:30", "to": "07:15"}}}"""));

        assertThat(after.quietHours()).containsExactlyInAnyOrderEntriesOf(Map.of(
                DeliveryChannel.EMAIL, NINE_TO_EIGHT,
                DeliveryChannel.PUSH, new QuietHours(LocalTime.of(22, 30), LocalTime.of(7, 15))));
        assertThat(after.defaultTimezone()).isEqualTo(before.defaultTimezone());
        // Removing a channel that has no window is no error: the result is what was asked for.
        assertThat(after.with(change("{\"quietHours\": {\"kafka\": null}}"))).isEqualTo(after);
    }

    @Test
    void frequencyCapsAreReplacedAsAWhole() {
        Policies before = Policies.DEFAULTS.with(change(DESIGN_EXAMPLE));

        Policies after = before.with(change("""
                {"frequencyCaps": [{"channel": "sms", "max": 1, "per": "PT12H"}]}"""));

        assertThat(after.frequencyCaps()).containsExactly(
                new FrequencyCap(DeliveryChannel.SMS, Optional.empty(), 1, Duration.ofHours(12)));
        assertThat(before.with(change("{\"frequencyCaps\": []}")).frequencyCaps()).isEmpty();
    }

    @Test
    void aCapInCalendarDaysIsKeptAndWrittenAsSuch() {
        Policies policies = Policies.DEFAULTS.with(change("""
                {"frequencyCaps": [{"channel": "email", "purpose": "marketing", "max": 3, "per": "P7D", "calendarDays": true},
                                   {"channel": "sms", "max": 1, "per": "P1D", "calendarDays": false}]}"""));

        assertThat(policies.frequencyCaps()).containsExactly(
                new FrequencyCap(DeliveryChannel.EMAIL, Optional.of(Purpose.MARKETING), 3, Duration.ofDays(7), true),
                new FrequencyCap(DeliveryChannel.SMS, Optional.empty(), 1, Duration.ofDays(1), false));
        assertThat(written(policies)).contains(
                "{\"channel\":\"email\",\"purpose\":\"marketing\",\"max\":3,\"per\":\"P7D\",\"calendarDays\":true}",
                "{\"channel\":\"sms\",\"max\":1,\"per\":\"P1D\"}");
    }

    @Test
    void nullPutsATopLevelFieldBackToItsDefault() {
        Policies before = Policies.DEFAULTS.with(change(DESIGN_EXAMPLE));

        Policies after = before.with(change("""
                {"defaultTimezone": null, "quietHours": null, "frequencyCaps": null}"""));

        assertThat(after).isEqualTo(Policies.DEFAULTS);
    }

    @Test
    void aCapWithoutPurposeCoversEveryPurposeAndWindowsAreWrittenInTheirSimplestForm() {
        Policies policies = Policies.DEFAULTS.with(change("""
                {"frequencyCaps": [{"channel": "push", "purpose": null, "max": 2, "per": "PT24H"},
                                   {"channel": "push", "max": 10, "per": "PT90M"},
                                   {"channel": "email", "purpose": "sale_share", "max": 1, "per": "PT0.5S"}]}"""));

        assertThat(policies.frequencyCaps()).extracting(FrequencyCap::purpose)
                .containsExactly(Optional.empty(), Optional.empty(), Optional.of(Purpose.SALE_SHARE));
        assertThat(written(policies)).contains("""
                "frequencyCaps":[{"channel":"push","max":2,"per":"P1D"},{"channel":"push","max":10,"per":"PT1H30M"},\
                {"channel":"email","purpose":"sale_share","max":1,"per":"PT0.5S"}]""");
    }

    @Test
    void everyDeliveryChannelTakesQuietHours() {
        String all = IntStream.range(0, DeliveryChannel.values().length)
                .mapToObj(i -> "\"" + DeliveryChannel.values()[i].wireName() + "\": {\"from\": \"0" + i + ":00\", \"to\": \"23:59\"}")
                .collect(Collectors.joining(", ", "{\"quietHours\": {", "}}"));

        assertThat(Policies.DEFAULTS.with(change(all)).quietHours()).containsOnlyKeys(DeliveryChannel.values());
        assertThat(change(all).quietHours().get(DeliveryChannel.IN_APP))
                .contains(new QuietHours(LocalTime.of(3, 0), LocalTime.of(23, 59)));
    }

    @ParameterizedTest(name = "{0} -> {1} at \"{2}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            [{"defaultTimezone": "UTC"}]                                            | NOT_AN_OBJECT           | ``
            "UTC"                                                                   | NOT_AN_OBJECT           | ``
            null                                                                    | NOT_AN_OBJECT           | ``
            `   `                                                                   | NOT_AN_OBJECT           | ``
            {"defaultTimezone": "UTC"                                               | INVALID_JSON            | ``
            {"defaultTimezone": "UTC"} {}                                           | INVALID_JSON            | ``
            {"defaultTimezone": "UTC", "defaultTimezone": "Europe/Paris"}           | INVALID_JSON            | ``
            {"timezone": "UTC"}                                                     | UNKNOWN_FIELD           | /timezone
            {"jurisdiction": {}}                                                    | UNKNOWN_FIELD           | /jurisdiction
            {"defaultTimezone": "Mars/Olympus_Mons"}                                | INVALID_TIMEZONE        | /defaultTimezone
            {"defaultTimezone": "+02:00"}                                           | INVALID_TIMEZONE        | /defaultTimezone
            {"defaultTimezone": "america/new_york"}                                 | INVALID_TIMEZONE        | /defaultTimezone
            {"defaultTimezone": ""}                                                 | INVALID_TIMEZONE        | /defaultTimezone
            {"defaultTimezone": -5}                                                 | WRONG_TYPE              | /defaultTimezone
            {"quietHours": [{"sms": {"from": "21:00", "to": "08:00"}}]}             | WRONG_TYPE              | /quietHours
            {"quietHours": {"sms": "21:00-08:00"}}                                  | WRONG_TYPE              | /quietHours/sms
            {"quietHours": {"fax": {"from": "21:00", "to": "08:00"}}}               | UNKNOWN_CHANNEL         | /quietHours/fax
            {"quietHours": {"web": null}}                                           | UNKNOWN_CHANNEL         | /quietHours/web
            {"quietHours": {"SMS": null}}                                           | UNKNOWN_CHANNEL         | /quietHours/SMS
            {"quietHours": {"a/b~c": null}}                                         | UNKNOWN_CHANNEL         | /quietHours/a~1b~0c
            {"quietHours": {"sms": {"from": "9pm", "to": "08:00"}}}                 | INVALID_TIME            | /quietHours/sms/from
            {"quietHours": {"sms": {"from": "21:00", "to": "8:00"}}}                | INVALID_TIME            | /quietHours/sms/to
            {"quietHours": {"sms": {"from": "24:00", "to": "08:00"}}}               | INVALID_TIME            | /quietHours/sms/from
            {"quietHours": {"sms": {"from": "21:00:00", "to": "08:00"}}}            | INVALID_TIME            | /quietHours/sms/from
            {"quietHours": {"sms": {"from": "21:60", "to": "08:00"}}}               | INVALID_TIME            | /quietHours/sms/from
            {"quietHours": {"sms": {"from": 2100, "to": "08:00"}}}                  | WRONG_TYPE              | /quietHours/sms/from
            {"quietHours": {"sms": {"from": "21:00", "to": "21:00"}}}               | EMPTY_QUIET_HOURS       | /quietHours/sms
            {"quietHours": {"sms": {"from": "21:00"}}}                              | FIELD_REQUIRED          | /quietHours/sms/to
            {"quietHours": {"sms": {"from": null, "to": "08:00"}}}                  | FIELD_REQUIRED          | /quietHours/sms/from
            {"quietHours": {"sms": {"from": "21:00", "to": "08:00", "tz": "UTC"}}}  | UNKNOWN_FIELD           | /quietHours/sms/tz
            {"frequencyCaps": {"channel": "email", "max": 3, "per": "P7D"}}         | WRONG_TYPE              | /frequencyCaps
            {"frequencyCaps": ["email"]}                                            | WRONG_TYPE              | /frequencyCaps/0
            {"frequencyCaps": [{"max": 3, "per": "P7D"}]}                           | FIELD_REQUIRED          | /frequencyCaps/0/channel
            {"frequencyCaps": [{"channel": "fax", "max": 3, "per": "P7D"}]}         | UNKNOWN_CHANNEL         | /frequencyCaps/0/channel
            {"frequencyCaps": [{"channel": "all", "max": 3, "per": "P7D"}]}         | UNKNOWN_CHANNEL         | /frequencyCaps/0/channel
            {"frequencyCaps": [{"channel": "email", "purpose": "ads", "max": 3, "per": "P7D"}]} | UNKNOWN_PURPOSE | /frequencyCaps/0/purpose
            {"frequencyCaps": [{"channel": "email", "per": "P7D"}]}                 | FIELD_REQUIRED          | /frequencyCaps/0/max
            {"frequencyCaps": [{"channel": "email", "max": 0, "per": "P7D"}]}       | INVALID_CAP_MAX         | /frequencyCaps/0/max
            {"frequencyCaps": [{"channel": "email", "max": -3, "per": "P7D"}]}      | INVALID_CAP_MAX         | /frequencyCaps/0/max
            {"frequencyCaps": [{"channel": "email", "max": 2.5, "per": "P7D"}]}     | INVALID_CAP_MAX         | /frequencyCaps/0/max
            {"frequencyCaps": [{"channel": "email", "max": 3000000000, "per": "P7D"}]} | INVALID_CAP_MAX      | /frequencyCaps/0/max
            {"frequencyCaps": [{"channel": "email", "max": "3", "per": "P7D"}]}     | WRONG_TYPE              | /frequencyCaps/0/max
            {"frequencyCaps": [{"channel": "email", "max": 3}]}                     | FIELD_REQUIRED          | /frequencyCaps/0/per
            {"frequencyCaps": [{"channel": "email", "max": 3, "per": "7 days"}]}    | INVALID_DURATION        | /frequencyCaps/0/per
            {"frequencyCaps": [{"channel": "email", "max": 3, "per": "P0D"}]}       | INVALID_DURATION        | /frequencyCaps/0/per
            {"frequencyCaps": [{"channel": "email", "max": 3, "per": "PT36H", "calendarDays": true}]} | INVALID_DURATION | /frequencyCaps/0/per
            {"frequencyCaps": [{"channel": "email", "max": 3, "per": "P7D", "calendarDays": "yes"}]} | WRONG_TYPE | /frequencyCaps/0/calendarDays
            {"frequencyCaps": [{"channel": "email", "max": 3, "per": "-P7D"}]}      | INVALID_DURATION        | /frequencyCaps/0/per
            {"frequencyCaps": [{"channel": "email", "max": 3, "per": "P1M"}]}       | INVALID_DURATION        | /frequencyCaps/0/per
            {"frequencyCaps": [{"channel": "email", "max": 3, "per": 7}]}           | WRONG_TYPE              | /frequencyCaps/0/per
            {"frequencyCaps": [{"channel": "email", "max": 3, "per": "P7D", "window": "P1D"}]} | UNKNOWN_FIELD | /frequencyCaps/0/window
            {"frequencyCaps": [{"channel": "sms", "max": 1, "per": "P1D"}, {"channel": "sms", "max": 2, "per": "PT24H"}]} | DUPLICATE_FREQUENCY_CAP | /frequencyCaps/1
            """)
    void invalidPoliciesAreRefusedWithReasonAndPointer(String json, String reason, String pointer) {
        assertRefused(json, reason, pointer);
    }

    @Test
    void anEmptyDocumentIsNotAnObject() {
        assertThatThrownBy(() -> PoliciesJson.parseChange(new byte[0]))
                .asInstanceOf(type(InvalidConsentInput.class))
                .satisfies(invalid -> {
                    assertThat(invalid.reason()).isEqualTo("NOT_AN_OBJECT");
                    assertThat(invalid.pointer()).isEmpty();
                });
    }

    @Test
    void capsOfOneChannelAndPurposeMayDifferInWindow() {
        assertThat(change("""
                {"frequencyCaps": [{"channel": "sms", "max": 1, "per": "P1D"}, {"channel": "sms", "max": 3, "per": "P7D"},
                                   {"channel": "sms", "purpose": "marketing", "max": 1, "per": "P1D"}]}""")
                .frequencyCaps()).hasValueSatisfying(caps -> assertThat(caps).hasSize(3));
    }

    @Test
    void atMostFiftyCaps() {
        String cap = "{\"channel\": \"email\", \"max\": 1, \"per\": \"PT%dS\"}";
        String fifty = IntStream.rangeClosed(1, 50).mapToObj(cap::formatted).collect(Collectors.joining(","));

        assertThat(change("{\"frequencyCaps\": [" + fifty + "]}").frequencyCaps()).hasValueSatisfying(
                caps -> assertThat(caps).hasSize(PoliciesJson.MAX_FREQUENCY_CAPS));
        assertRefused("{\"frequencyCaps\": [" + fifty + "," + cap.formatted(51) + "]}",
                "TOO_MANY_FREQUENCY_CAPS", "/frequencyCaps");
    }

    @Test
    void theFirstFaultInDocumentOrderIsReported() {
        assertRefused("""
                {"quietHours": {"sms": {"from": "25:00", "to": "08:00"}}, "defaultTimezone": "Nowhere"}""",
                "INVALID_TIME", "/quietHours/sms/from");
        assertRefused("""
                {"defaultTimezone": "Nowhere", "quietHours": {"sms": {"from": "25:00", "to": "08:00"}}}""",
                "INVALID_TIMEZONE", "/defaultTimezone");
    }

    @Test
    void refusalsSayWhatIsAllowed() {
        assertThatThrownBy(() -> change("{\"quietHours\": {\"fax\": null}}"))
                .asInstanceOf(type(InvalidConsentInput.class))
                .satisfies(invalid -> {
                    assertThat(invalid.getMessage()).isEqualTo(
                            "/quietHours/fax: 'fax' is not a channel; one of email, sms, push, in_app, webhook, kafka");
                    assertThat(invalid.details()).containsEntry("allowed", "email, sms, push, in_app, webhook, kafka");
                });
        assertThatThrownBy(() -> change("{\"frequencyCaps\": [{\"channel\": \"sms\", \"purpose\": \"ads\"}]}"))
                .hasMessage("/frequencyCaps/0/purpose: 'ads' is not a purpose; one of "
                        + "analytics, personalization, marketing, sale_share, sensitive");
        assertThatThrownBy(() -> change("{\"defaultTimezone\": \"Mars/Olympus_Mons\"}"))
                .hasMessage("/defaultTimezone: 'Mars/Olympus_Mons' is not an IANA time zone name such as "
                        + "America/New_York or UTC");
        assertThatThrownBy(() -> change("{\"colour\": 1}"))
                .hasMessage("/colour is not a known field; known here: defaultTimezone, quietHours, frequencyCaps, "
                        + "jurisdictions, defaultJurisdiction");
    }

    @Test
    void anUpdateIsParsedInRequestFieldOrder() {
        assertThatThrownBy(() -> PolicyUpdate.parse(" ", "[]".getBytes(StandardCharsets.UTF_8), "admin"))
                .asInstanceOf(type(InvalidConsentInput.class))
                .satisfies(invalid -> assertThat(invalid.pointer()).isEqualTo("/workspace"));
        PolicyUpdate update = PolicyUpdate.parse("ws-1", "{}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(update.workspace()).isEqualTo(new Workspace("ws-1"));
        assertThat(update.updatedBy()).isEmpty();
    }
}
