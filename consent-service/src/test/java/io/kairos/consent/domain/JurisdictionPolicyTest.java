package io.kairos.consent.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/** Each seeded jurisdiction, GPC, expiry, recipients' zones, and a policy edit taking effect. */
class JurisdictionPolicyTest {

    /** A Wednesday, 16:00 UTC: noon in New York, 9:00 in Los Angeles, daytime in Europe. */
    private static final Instant MIDDAY = Instant.parse("2026-06-03T16:00:00Z");

    private final ConsentPolicy policy = new ConsentPolicy();
    private long sequence;

    private static Recipient at(String country, String region) {
        return new Recipient(Optional.empty(), Optional.empty(), Geography.place(country, region));
    }

    private ConsentEntry record(Purpose purpose, Channel channel, ConsentStatus status, Origin origin, Instant at,
                                Optional<Instant> expiresAt) {
        return new ConsentEntry(purpose, channel, status, "test", origin, Proof.NONE, at, expiresAt, ++sequence);
    }

    private ConsentDecision decide(Recipient recipient, Purpose purpose, Channel channel, Instant at,
                                   Policies policies, ConsentEntry... ledger) {
        return policy.decide(new ConsentQuery(purpose, channel, at), recipient, policies, List.of(ledger));
    }

    @ParameterizedTest(name = "{0}/{1}: {2} on {3} without a record -> {4} by {5}")
    @CsvSource(delimiter = '|', textBlock = """
            Germany        |            | marketing       | email | DENY  | EU.opt_in.marketing
            Germany        |            | analytics       | web   | DENY  | EU.opt_in.analytics
            FR             |            | personalization | push  | DENY  | EU.opt_in.personalization
            United Kingdom |            | marketing       | email | DENY  | UK.opt_in.marketing
            GB             |            | analytics       | web   | DENY  | UK.opt_in.analytics
            US             | California | marketing       | email | ALLOW | US-CA.opt_out
            US             | CA         | sale_share      | web   | ALLOW | US-CA.opt_out
            US             | CA         | sensitive       | web   | DENY  | US-CA.opt_in.sensitive
            US             | Texas      | marketing       | email | ALLOW | US-TX.opt_out
            United States  | New York   | marketing       | sms   | DENY  | US-NY.express_consent.sms
            USA            | Ohio       | marketing       | email | ALLOW | US.opt_out
            US             | Colorado   | sale_share      | web   | ALLOW | US-UOOM.opt_out
            US             | FL         | analytics       | sms   | DENY  | US-FL.express_consent.sms
            Japan          |            | marketing       | email | ALLOW | DEFAULT.opt_out
            Japan          |            | marketing       | sms   | DENY  | DEFAULT.express_consent.sms
                           |            | sensitive       | email | DENY  | DEFAULT.opt_in.sensitive
            """)
    void eachSeededJurisdictionDecidesWithoutARecord(String country, String region, String purpose, String channel,
                                                     String verdict, String rule) {
        ConsentDecision decision = decide(at(country, region), Purpose.parse(purpose, "purpose"),
                Channel.parse(channel, "channel"), MIDDAY, Policies.NONE);
        assertThat(decision.getClass().getSimpleName().toUpperCase()).isEqualTo(verdict);
        assertThat(decision.rules()).contains(rule);
    }

    @Test
    void anExplicitGrantOpensWhatAnOptInJurisdictionCloses() {
        ConsentEntry grant = record(Purpose.MARKETING, Channel.EMAIL, ConsentStatus.GRANTED, Origin.ADMIN,
                MIDDAY.minusSeconds(60), Optional.empty());
        assertThat(decide(at("DE", null), Purpose.MARKETING, Channel.EMAIL, MIDDAY, Policies.NONE, grant))
                .isInstanceOf(ConsentDecision.Allow.class);
    }

    @ParameterizedTest(name = "GPC in {0}/{1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            US | CA  | DENY  | US-CA.gpc
            US | TX  | DENY  | US-TX.gpc
            US | CO  | DENY  | US-UOOM.gpc
            US | MD  | DENY  | US-MD.gpc
            US | NY  | ALLOW | US-NY.opt_out
            US | OH  | ALLOW | US.opt_out
            JP |     | ALLOW | DEFAULT.opt_out
            """)
    void gpcOptsOutOfSaleAndShareOnlyWhereTheJurisdictionHonoursIt(String country, String region, String verdict,
                                                                  String rule) {
        ConsentEntry gpc = record(Purpose.SALE_SHARE, Channel.ALL, ConsentStatus.DENIED, Origin.GPC,
                MIDDAY.minusSeconds(3600), Optional.empty());
        ConsentDecision decision = decide(at(country, region), Purpose.SALE_SHARE, Channel.WEB, MIDDAY, Policies.NONE, gpc);
        assertThat(decision.getClass().getSimpleName().toUpperCase()).isEqualTo(verdict);
        assertThat(decision.rules()).containsExactly(rule);
    }

    @Test
    void gpcDoesNotTouchOtherPurposes() {
        ConsentEntry gpc = record(Purpose.SALE_SHARE, Channel.ALL, ConsentStatus.DENIED, Origin.GPC,
                MIDDAY.minusSeconds(3600), Optional.empty());
        assertThat(decide(at("US", "CA"), Purpose.MARKETING, Channel.EMAIL, MIDDAY, Policies.NONE, gpc))
                .isInstanceOf(ConsentDecision.Allow.class);
    }

    @Test
    void anExpiredGrantIsNotAGrant() {
        Instant expiry = MIDDAY.plusSeconds(60);
        ConsentEntry grant = record(Purpose.MARKETING, Channel.ALL, ConsentStatus.GRANTED, Origin.ADMIN,
                MIDDAY.minusSeconds(86_400), Optional.of(expiry));
        assertThat(decide(at("US", "OH"), Purpose.MARKETING, Channel.EMAIL, expiry.minusMillis(1), Policies.NONE, grant))
                .isInstanceOf(ConsentDecision.Allow.class);
        ConsentDecision expired = decide(at("US", "OH"), Purpose.MARKETING, Channel.EMAIL, expiry, Policies.NONE, grant);
        assertThat(expired).isInstanceOf(ConsentDecision.Deny.class);
        assertThat(expired.rules()).containsExactly(ConsentPolicy.EXPIRED);
        assertThat(expired.reason()).contains("expired at " + expiry);
    }

    @Test
    void aCartEmailAt2AmEasternIsDeferredWhileAPacificCustomerGetsItAt11PmEastern() {
        Policies policies = Policies.DEFAULTS.with(PoliciesJson.parseChange("""
                {"quietHours": {"email": {"from": "21:00", "to": "08:00"}}}""".getBytes(StandardCharsets.UTF_8)));
        Instant twoAmEastern = Instant.parse("2026-11-04T07:00:00Z");
        ConsentDecision deferred = decide(at("US", "NY"), Purpose.MARKETING, Channel.EMAIL, twoAmEastern, policies);
        assertThat(deferred).isInstanceOfSatisfying(ConsentDecision.Defer.class, defer -> {
            assertThat(defer.until()).isEqualTo(Instant.parse("2026-11-04T13:00:00Z"));
            assertThat(defer.rules()).containsExactly("US-NY.opt_out", "workspace.quiet_hours.email");
            assertThat(defer.reason()).contains("21:00-08:00").contains("America/New_York");
        });
        Instant elevenPmEastern = Instant.parse("2026-11-05T04:00:00Z");
        assertThat(decide(at("US", "CA"), Purpose.MARKETING, Channel.EMAIL, elevenPmEastern, policies))
                .isInstanceOf(ConsentDecision.Allow.class);
        assertThat(decide(at("US", "NY"), Purpose.MARKETING, Channel.EMAIL, elevenPmEastern, policies))
                .isInstanceOf(ConsentDecision.Defer.class);
    }

    @Test
    void theJurisdictionsLegalWindowAppliesOnTopOfTheWorkspaces() {
        ConsentEntry sms = record(Purpose.MARKETING, Channel.SMS, ConsentStatus.GRANTED, Origin.ADMIN,
                MIDDAY.minusSeconds(86_400), Optional.empty());
        // 20:30 in Miami: the workspace's 21:00 window has not begun; Florida's 20:00 one has.
        Instant evening = Instant.parse("2026-06-04T00:30:00Z");
        ConsentDecision decision = decide(new Recipient(Optional.of(ZoneId.of("America/New_York")), Optional.empty(),
                Geography.place("US", "FL")), Purpose.MARKETING, Channel.SMS, evening, Policies.DEFAULTS, sms);
        assertThat(decision).isInstanceOfSatisfying(ConsentDecision.Defer.class, defer -> {
            assertThat(defer.until()).isEqualTo(Instant.parse("2026-06-04T12:00:00Z"));
            assertThat(defer.rules()).containsExactly(ConsentPolicy.LATEST_RECORD, "US-FL.quiet_hours.sms");
        });
    }

    @Test
    void quietHoursAreNotAskedWhenTheTriggerDoesNotRespectThem() {
        Policies policies = Policies.DEFAULTS;
        ConsentEntry sms = record(Purpose.MARKETING, Channel.SMS, ConsentStatus.GRANTED, Origin.ADMIN,
                MIDDAY.minusSeconds(86_400), Optional.empty());
        Instant night = Instant.parse("2026-06-04T03:00:00Z");
        assertThat(policy.decide(new ConsentQuery(Purpose.MARKETING, Channel.SMS, night, false), Recipient.UNKNOWN,
                policies, List.of(sms))).isInstanceOf(ConsentDecision.Allow.class);
        assertThat(policy.decide(new ConsentQuery(Purpose.MARKETING, Channel.SMS, night, true), Recipient.UNKNOWN,
                policies, List.of(sms))).isInstanceOf(ConsentDecision.Defer.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            the trait wins                 | Europe/Paris | Asia/Tokyo | US | NY | Europe/Paris
            else the event's zone          |              | Asia/Tokyo | US | NY | Asia/Tokyo
            else the region's zones        |              |            | US | TX | America/Chicago,America/Denver
            else the country's             |              |            | GB |    | Europe/London
            else the workspace default     |              |            |    |    | America/Halifax
            """)
    void theRecipientsZoneIsTheFirstKnown(String name, String trait, String event, String country, String region,
                                          String expected) {
        Recipient recipient = new Recipient(Optional.ofNullable(trait).map(ZoneId::of),
                Optional.ofNullable(event).map(ZoneId::of), Geography.place(country, region));
        assertThat(recipient.zones(ZoneId.of("America/Halifax")).zones())
                .containsExactlyElementsOf(Arrays.stream(expected.split(",")).map(ZoneId::of).toList());
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            United States   | California    | US-CA
            usa             | ca            | US-CA
            US              | US-TX         | US-TX
            us              | new york      | US-NY
            Deutschland     |               | unknown place
            Germany         | Bavaria       | DE
            de              | BY            | DE-BY
            U.K.            |               | GB
            Nowhere         | CA            | unknown place
            US              | Atlantis      | US
            """)
    void freeTextPlacesAreReadAsCodes(String country, String region, String expected) {
        assertThat(Geography.place(country, region).toString()).isEqualTo(expected);
    }

    @Test
    void aPolicyEditTakesEffectOnTheNextDecision() {
        Recipient texan = at("US", "TX");
        assertThat(decide(texan, Purpose.MARKETING, Channel.EMAIL, MIDDAY, Policies.NONE))
                .isInstanceOf(ConsentDecision.Allow.class);
        Policies edited = Policies.NONE.with(PoliciesJson.parseChange("""
                {"jurisdictions": {"US-TX": {"name": "Texas, stricter", "places": ["US-TX"],
                  "optIn": ["marketing"], "expressConsent": ["sms"], "honoursGpc": true, "requestDeadline": "P45D"}}}"""
                .getBytes(StandardCharsets.UTF_8)));
        ConsentDecision after = decide(texan, Purpose.MARKETING, Channel.EMAIL, MIDDAY, edited);
        assertThat(after).isInstanceOf(ConsentDecision.Deny.class);
        assertThat(after.rules()).containsExactly("US-TX.opt_in.marketing");
    }

    @Test
    void aJurisdictionRemovedHandsItsPlacesToTheNextClaim() {
        Policies edited = Policies.NONE.with(PoliciesJson.parseChange("""
                {"jurisdictions": {"US-NY": null}}""".getBytes(StandardCharsets.UTF_8)));
        assertThat(decide(at("US", "NY"), Purpose.MARKETING, Channel.EMAIL, MIDDAY, edited).rules())
                .containsExactly("US.opt_out");
        assertThat(PoliciesJson.readStored(new String(PoliciesJson.write(edited), StandardCharsets.UTF_8)))
                .as("a stored document keeps the removal").isEqualTo(edited);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a place claimed twice        | {"jurisdictions": {"XX": {"name": "x", "places": ["US-CA"]}}}             | PLACE_CLAIMED_TWICE       | /jurisdictions/XX/places
            an unknown default           | {"defaultJurisdiction": "NOPE"}                                        | UNKNOWN_JURISDICTION      | /defaultJurisdiction
            removing the default         | {"jurisdictions": {"DEFAULT": null}}                                   | UNKNOWN_JURISDICTION      | /defaultJurisdiction
            a bad place code             | {"jurisdictions": {"XX": {"name": "x", "places": ["California"]}}}       | INVALID_PLACE             | /jurisdictions/XX/places/0
            a bad jurisdiction code      | {"jurisdictions": {"us ca": {"name": "x", "places": []}}}                | INVALID_JURISDICTION_CODE | /jurisdictions/us ca
            an unknown purpose           | {"jurisdictions": {"XX": {"name": "x", "places": [], "optIn": ["ads"]}}} | UNKNOWN_PURPOSE           | /jurisdictions/XX/optIn/0
            a bad day                    | {"jurisdictions": {"XX": {"name": "x", "places": [], "quietHours": {"sms": [{"from": "21:00", "to": "08:00", "days": ["sunday", "funday"]}]}}}} | INVALID_DAY | /jurisdictions/XX/quietHours/sms/0/days/1
            a name missing               | {"jurisdictions": {"XX": {"places": []}}}                                | FIELD_REQUIRED            | /jurisdictions/XX/name
            """)
    void contradictoryOrMalformedJurisdictionsAreRefused(String name, String json, String reason, String pointer) {
        assertThatThrownBy(() -> Policies.DEFAULTS.with(PoliciesJson.parseChange(json.getBytes(StandardCharsets.UTF_8))))
                .asInstanceOf(type(InvalidConsentInput.class))
                .satisfies(invalid -> {
                    assertThat(invalid.reason()).isEqualTo(reason);
                    assertThat(invalid.pointer()).isEqualTo(pointer);
                });
    }

    @Test
    void theSeededJurisdictionsReadBackAsWritten() {
        Policies seeded = Policies.DEFAULTS;
        assertThat(PoliciesJson.readStored(new String(PoliciesJson.write(seeded), StandardCharsets.UTF_8)))
                .isEqualTo(seeded);
        List<String> codes = new ArrayList<>(seeded.jurisdictions().byCode().keySet());
        assertThat(codes).contains("DEFAULT", "EU", "UK", "US", "US-CA", "US-TX", "US-NY", "US-FL");
        assertThat(seeded.jurisdictions().byCode().get("US-CA").requestDeadline()).hasDays(45);
        assertThat(seeded.jurisdictions().byCode().get("EU").requestDeadline()).hasDays(30);
    }
}
