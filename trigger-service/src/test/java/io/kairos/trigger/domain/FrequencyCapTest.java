package io.kairos.trigger.domain;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a cap's window starts: rolling, or in the recipient's calendar days across DST changes. */
class FrequencyCapTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final FrequencyCap.Scope OWN = new FrequencyCap.Scope.OwnTrigger();

    @Test
    void aRollingWindowReachesBackItsLength() {
        Instant now = Instant.parse("2026-03-08T15:00:00Z");

        assertThat(new FrequencyCap(3, Duration.ofDays(7), false, OWN).countsFrom(now, NEW_YORK)).isEqualTo(now.minus(Duration.ofDays(7)));
    }

    @Test
    void calendarDaysStartAtTheRecipientsLocalMidnightAlsoOnTheDayTheClocksGoForward() {
        // 2026-03-08, New York: 02:00 EST becomes 03:00 EDT; that day's midnight was still EST (-05:00).
        Instant afternoon = Instant.parse("2026-03-08T19:00:00Z");

        assertThat(new FrequencyCap(1, Duration.ofDays(1), true, OWN).countsFrom(afternoon, NEW_YORK))
                .isEqualTo(Instant.parse("2026-03-08T05:00:00Z"));
        assertThat(new FrequencyCap(1, Duration.ofDays(2), true, OWN).countsFrom(afternoon, NEW_YORK))
                .isEqualTo(Instant.parse("2026-03-07T05:00:00Z"));
        // Late evening in Los Angeles is already the next day in UTC: the local day counts.
        assertThat(new FrequencyCap(1, Duration.ofDays(1), true, OWN).countsFrom(Instant.parse("2026-11-02T06:30:00Z"),
                ZoneId.of("America/Los_Angeles"))).isEqualTo(Instant.parse("2026-11-01T07:00:00Z"));
    }

    @Property
    void aCalendarWindowStartsAtALocalMidnightAndCoversTodayAndTheDaysBefore(
            @ForAll @LongRange(min = 1_700_000_000L, max = 1_900_000_000L) long epochSecond,
            @ForAll @IntRange(min = 1, max = 30) int days) {
        Instant now = Instant.ofEpochSecond(epochSecond);
        Instant start = new FrequencyCap(1, Duration.ofDays(days), true, OWN).countsFrom(now, NEW_YORK);

        ZonedDateTime local = start.atZone(NEW_YORK);
        assertThat(local.toLocalTime().toSecondOfDay()).as("a local midnight").isZero();
        assertThat(local.toLocalDate()).isEqualTo(now.atZone(NEW_YORK).toLocalDate().minusDays(days - 1));
        assertThat(start).isBeforeOrEqualTo(now);
    }

    @Test
    void theReasonSaysWhatWasCountedAndOverWhichWindow() {
        assertThat(new FrequencyCap(1, Duration.ofDays(1), true, OWN).refusal())
                .isEqualTo("frequency cap: this trigger sends at most 1 per 1 local day");
        assertThat(new FrequencyCap(3, Duration.ofDays(7), false,
                new FrequencyCap.Scope.OnChannel(Channel.EMAIL, Optional.of("marketing"))).refusal())
                .isEqualTo("frequency cap: at most 3 marketing email messages per 7 days");
        assertThat(new FrequencyCap(2, Duration.ofHours(6), false, new FrequencyCap.Scope.OnChannel(Channel.SMS, Optional.empty())).refusal())
                .isEqualTo("frequency cap: at most 2 sms messages per PT6H");
        assertThat(new FrequencyCap(3, Duration.ofDays(7), false, OWN).reachedWith(2)).isFalse();
        assertThat(new FrequencyCap(3, Duration.ofDays(7), false, OWN).reachedWith(3)).isTrue();
    }

    @Test
    void aCapAllowsAtLeastOneMessageInAPositiveWindowOfWholeDaysWhenInCalendarDays() {
        assertThatThrownBy(() -> new FrequencyCap(0, Duration.ofDays(1), false, OWN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrequencyCap(1, Duration.ZERO, false, OWN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrequencyCap(1, Duration.ofHours(36), true, OWN)).isInstanceOf(IllegalArgumentException.class);
    }
}
