package io.kairos.gateway.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkspaceAndSourceDefinitionTest {

    @Test
    void accepts_a_slug_a_name_and_an_iana_zone() {
        WorkspaceDefinition workspace = WorkspaceDefinition.of("acme-eu-2", "  ACME Europe ", "Europe/Berlin");

        assertThat(workspace).isEqualTo(new WorkspaceDefinition("acme-eu-2", "ACME Europe", ZoneId.of("Europe/Berlin")));
    }

    @Test
    void a_workspace_without_time_zone_is_in_utc() {
        assertThat(WorkspaceDefinition.of("acme", "ACME", null).timezone()).isEqualTo(ZoneId.of("UTC"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "ACME", "acme_eu", "acme eu", "acmé", "a234567890123456789012345678901234567890x"})
    void refuses_ids_that_are_not_slugs(String id) {
        assertRefused(() -> WorkspaceDefinition.of(id, "n", "UTC"), "INVALID_WORKSPACE_ID", "/id");
    }

    @Test
    void accepts_slugs_of_2_and_40_characters() {
        assertThat(WorkspaceDefinition.of("ab", "n", "UTC").id()).isEqualTo("ab");
        assertThat(WorkspaceDefinition.of("a".repeat(40), "n", "UTC").id()).hasSize(40);
    }

    @Test
    void refuses_missing_fields_and_unknown_zones() {
        assertRefused(() -> WorkspaceDefinition.of(null, "n", "UTC"), "FIELD_REQUIRED", "/id");
        assertRefused(() -> WorkspaceDefinition.of("acme", " ", "UTC"), "FIELD_REQUIRED", "/name");
        assertRefused(() -> WorkspaceDefinition.of("acme", "x".repeat(201), "UTC"), "NAME_TOO_LONG", "/name");
        assertRefused(() -> WorkspaceDefinition.of("acme", "n", "Mars/Olympus"), "INVALID_TIMEZONE", "/timezone");
        assertRefused(() -> WorkspaceDefinition.of("acme", "n", ""), "INVALID_TIMEZONE", "/timezone");
    }

    @Test
    void a_source_names_its_default_channel() {
        assertThat(SourceDefinition.of("Web shop", " WEB ")).isEqualTo(new SourceDefinition("Web shop", SourceChannel.WEB));
        assertThat(SourceDefinition.of("Till", "pos").channel().wireName()).isEqualTo("pos");
    }

    @Test
    void refuses_sources_without_name_or_with_unknown_channel() {
        assertRefused(() -> SourceDefinition.of(null, "web"), "FIELD_REQUIRED", "/name");
        assertRefused(() -> SourceDefinition.of("Web shop", null), "FIELD_REQUIRED", "/channel");
        assertRefused(() -> SourceDefinition.of("Web shop", "carrier-pigeon"), "UNKNOWN_CHANNEL", "/channel");
    }

    private static void assertRefused(Runnable attempt, String reason, String field) {
        assertThatThrownBy(attempt::run).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.field()).isEqualTo(field);
        });
    }
}
