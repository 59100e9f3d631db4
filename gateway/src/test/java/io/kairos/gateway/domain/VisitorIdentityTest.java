package io.kairos.gateway.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VisitorIdentityTest {

    @Test
    void the_user_id_is_tried_before_the_anonymous_id() {
        assertThat(new VisitorIdentity("u-1", "a-1").claims()).containsExactly(
                new VisitorIdentity.Claim("userId", "u-1"), new VisitorIdentity.Claim("anonymousId", "a-1"));
    }

    @Test
    void either_identifier_alone_is_enough_and_blank_ones_do_not_count() {
        assertThat(new VisitorIdentity(" ", "a-1").claims())
                .containsExactly(new VisitorIdentity.Claim("anonymousId", "a-1"));
        assertThat(new VisitorIdentity("u-1", null).claims())
                .containsExactly(new VisitorIdentity.Claim("userId", "u-1"));
    }

    @Test
    void a_visitor_must_say_who_it_is() {
        assertThatThrownBy(() -> new VisitorIdentity(null, ""))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.reason()).isEqualTo("IDENTITY_REQUIRED");
                    assertThat(e.field()).isEqualTo("/anonymousId");
                });
    }
}
