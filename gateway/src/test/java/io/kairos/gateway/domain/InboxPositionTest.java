package io.kairos.gateway.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboxPositionTest {

    @Test
    void a_stream_entry_id_reads_back_as_itself() {
        InboxPosition position = InboxPosition.parse("1732364400123-7", "/lastEventId");

        assertThat(position).isEqualTo(new InboxPosition(1732364400123L, 7));
        assertThat(position.id()).isEqualTo("1732364400123-7");
    }

    @Test
    void a_bare_number_is_its_first_entry_and_zero_is_the_start_of_the_inbox() {
        assertThat(InboxPosition.parse("1732364400123", "/lastEventId").id()).isEqualTo("1732364400123-0");
        assertThat(InboxPosition.parse(" 0 ", "/lastEventId")).isEqualTo(InboxPosition.START);
        assertThat(InboxPosition.START.id()).isEqualTo("0-0");
    }

    @Test
    void ids_use_all_64_unsigned_bits_as_redis_does() {
        InboxPosition largest = InboxPosition.parse("18446744073709551615-18446744073709551615", "/lastEventId");

        assertThat(largest.id()).isEqualTo("18446744073709551615-18446744073709551615");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "1-", "1-2-3", "1.5", "18446744073709551616-0", "$", "+", "(1-0"})
    void anything_else_is_refused_with_the_field_named(String id) {
        assertThatThrownBy(() -> InboxPosition.parse(id, "/lastEventId"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.reason()).isEqualTo("INVALID_LAST_EVENT_ID");
                    assertThat(e.field()).isEqualTo("/lastEventId");
                });
    }
}
