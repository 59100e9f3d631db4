package io.kairos.consent.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Quiet hours on the recipient's local clock, across the 2026 U.S. DST changes (8 March, 1 November) and across zones. */
class QuietHoursScheduleTest {

    private static final QuietHours NIGHT = new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0));
    /** Texas: no solicitation 21:00-09:00, nor on Sunday before noon. */
    private static final List<QuietHours> TEXAS = List.of(new QuietHours(LocalTime.of(21, 0), LocalTime.of(9, 0)),
            new QuietHours(LocalTime.of(21, 0), LocalTime.of(12, 0), EnumSet.of(DayOfWeek.SATURDAY)));

    @ParameterizedTest(name = "{0}: {1} in {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            2:00 AM Eastern, winter                  | 2026-01-15T07:00:00Z | America/New_York            | 2026-01-15T13:00:00Z
            11:00 PM Eastern is 8:00 PM Pacific      | 2026-01-16T04:00:00Z | America/Los_Angeles         | 2026-01-16T04:00:00Z
            11:00 PM Eastern for an Eastern customer | 2026-01-16T04:00:00Z | America/New_York            | 2026-01-16T13:00:00Z
            the night DST starts, 1:00 AM EST        | 2026-03-08T06:00:00Z | America/New_York            | 2026-03-08T12:00:00Z
            the same night, 3:30 AM EDT              | 2026-03-08T07:30:00Z | America/New_York            | 2026-03-08T12:00:00Z
            the day before DST starts, 2:00 AM EST   | 2026-03-07T07:00:00Z | America/New_York            | 2026-03-07T13:00:00Z
            the night DST ends, first 1:30 AM EDT    | 2026-11-01T05:30:00Z | America/New_York            | 2026-11-01T13:00:00Z
            the night DST ends, second 1:30 AM EST   | 2026-11-01T06:30:00Z | America/New_York            | 2026-11-01T13:00:00Z
            the day after DST ends, 7:59 AM EST      | 2026-11-02T12:59:00Z | America/New_York            | 2026-11-02T13:00:00Z
            8:00 AM exactly is allowed               | 2026-11-02T13:00:00Z | America/New_York            | 2026-11-02T13:00:00Z
            20:59 is allowed                         | 2026-07-01T00:59:00Z | America/New_York            | 2026-07-01T00:59:00Z
            21:00 is not                             | 2026-07-01T01:00:00Z | America/New_York            | 2026-07-01T12:00:00Z
            Arizona keeps no DST                     | 2026-03-08T14:30:00Z | America/Phoenix             | 2026-03-08T15:00:00Z
            Europe's DST starts 29 March             | 2026-03-29T05:00:00Z | Europe/Berlin               | 2026-03-29T06:00:00Z
            a half-hour zone                         | 2026-06-01T00:00:00Z | Asia/Kolkata                | 2026-06-01T02:30:00Z
            Lord Howe moves by half an hour          | 2026-04-04T18:00:00Z | Australia/Lord_Howe         | 2026-04-04T21:30:00Z
            """)
    void aSendInsideQuietHoursWaitsForTheirLocalEnd(String name, Instant at, ZoneId zone, Instant expected) {
        assertThat(new QuietHoursSchedule(List.of(zone), List.of(NIGHT)).firstAllowed(at)).contains(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Texas spans Central and Mountain: 9:30 CDT is 8:30 MDT    | 2026-06-03T14:30:00Z | 2026-06-03T15:00:00Z
            Sunday 10:00 CDT waits for noon in both zones               | 2026-06-07T15:00:00Z | 2026-06-07T18:00:00Z
            Saturday 10:00 CDT / 9:00 MDT is allowed                     | 2026-06-06T15:00:00Z | 2026-06-06T15:00:00Z
            Saturday 20:30 CDT is 19:30 MDT: allowed                     | 2026-06-07T01:30:00Z | 2026-06-07T01:30:00Z
            Saturday 21:30 CDT waits for Sunday noon MDT                 | 2026-06-07T02:30:00Z | 2026-06-07T18:00:00Z
            """)
    void aRegionSpanningZonesAllowsOnlyWhatEveryZoneAllows(String name, Instant at, Instant expected) {
        List<ZoneId> texas = Geography.zones(Geography.place("US", "TX"));
        assertThat(texas).containsExactly(ZoneId.of("America/Chicago"), ZoneId.of("America/Denver"));
        assertThat(new QuietHoursSchedule(texas, TEXAS).firstAllowed(at)).contains(expected);
    }

    @ParameterizedTest(name = "window {0}-{1} on 8 March 2026 in New York")
    @CsvSource(delimiter = '|', textBlock = """
            22:00 | 02:30 | 2026-03-08T06:30:00Z | 2026-03-08T07:00:00Z
            01:00 | 02:15 | 2026-03-08T06:30:00Z | 2026-03-08T07:00:00Z
            """)
    void aWindowEndingInTheSpringGapEndsWhenTheClockJumps(LocalTime from, LocalTime to, Instant at, Instant expected) {
        QuietHours window = new QuietHours(from, to);
        assertThat(new QuietHoursSchedule(List.of(ZoneId.of("America/New_York")), List.of(window)).firstAllowed(at))
                .contains(expected);
    }

    @Property(tries = 500)
    void theAnswerIsOutsideEveryWindowInEveryZoneAndNothingEarlierIs(@ForAll("instants") Instant at,
                                                                   @ForAll("zoneSets") List<ZoneId> zones,
                                                                   @ForAll("windows") List<QuietHours> windows) {
        QuietHoursSchedule schedule = new QuietHoursSchedule(zones, windows);
        Optional<Instant> first = schedule.firstAllowed(at);
        first.ifPresent(allowed -> {
            assertThat(allowed).isAfterOrEqualTo(at);
            assertThat(quiet(allowed, zones, windows)).as("allowed instant %s", allowed).isFalse();
            for (Instant probe = allowed.minusSeconds(60); !probe.isBefore(at); probe = probe.minusSeconds(60)) {
                assertThat(quiet(probe, zones, windows)).as("earlier minute %s", probe).isTrue();
            }
        });
    }

    private static boolean quiet(Instant at, List<ZoneId> zones, List<QuietHours> windows) {
        return zones.stream().anyMatch(zone -> windows.stream()
                .anyMatch(w -> w.endOfOccurrence(LocalDateTime.ofInstant(at, zone)).isPresent()));
    }

    @Provide
    Arbitrary<Instant> instants() {
        // Minutes of 2026, so that both DST changes and every weekday come up.
        return Arbitraries.longs().between(0, 365L * 24 * 60)
                .map(m -> Instant.parse("2026-01-01T00:00:00Z").plusSeconds(m * 60));
    }

    @Provide
    Arbitrary<List<ZoneId>> zoneSets() {
        return Arbitraries.of("America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
                        "America/Los_Angeles", "Pacific/Honolulu", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe")
                .map(ZoneId::of).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
    }

    @Provide
    Arbitrary<List<QuietHours>> windows() {
        Arbitrary<LocalTime> times = Arbitraries.integers().between(0, 47).map(h -> LocalTime.of(h / 2, h % 2 * 30));
        Arbitrary<EnumSet<DayOfWeek>> days = Arbitraries.of(DayOfWeek.class).set().ofMinSize(1)
                .map(set -> EnumSet.copyOf(set));
        Arbitrary<QuietHours> window = net.jqwik.api.Combinators.combine(times, times, days)
                .filter((from, to, d) -> !from.equals(to)).as(QuietHours::new);
        return window.list().ofMinSize(1).ofMaxSize(2);
    }
}
