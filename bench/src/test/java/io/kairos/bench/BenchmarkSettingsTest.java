package io.kairos.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchmarkSettingsTest {

    @Test
    void defaultsAreTheTargetScenarioInClosedLoop() {
        BenchmarkSettings settings = BenchmarkSettings.parse("--write-key", "wk_1");

        assertThat(settings.batchEndpoint()).isEqualTo(URI.create("http://127.0.0.1:8080/v1/batch"));
        assertThat(settings.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.warmup()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.batchSize()).isEqualTo(100);
        assertThat(settings.eventBytes()).isEqualTo(1024);
        assertThat(settings.openLoop()).isFalse();
    }

    @Test
    void optionsTakeTheirValueAfterASpaceOrAnEqualsSign() {
        BenchmarkSettings settings = BenchmarkSettings.parse("--write-key=wk_1", "--url", "http://localhost:18080/",
                "--duration", "2m", "--warmup=500ms", "--connections", "4", "--batch-size=50", "--event-bytes", "2048",
                "--profiles", "1_000", "--rate", "30000", "--label", "commit abc", "--label=lz4");

        assertThat(settings.batchEndpoint()).isEqualTo(URI.create("http://localhost:18080/v1/batch"));
        assertThat(settings.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.connections()).isEqualTo(4);
        assertThat(settings.batchSize()).isEqualTo(50);
        assertThat(settings.eventBytes()).isEqualTo(2048);
        assertThat(settings.profiles()).isEqualTo(1000);
        assertThat(settings.rate()).isEqualTo(30_000);
        assertThat(settings.openLoop()).isTrue();
        assertThat(settings.label()).isEqualTo("commit abc; lz4");
    }

    @Test
    void durationsAreReadInTheUsualSpellings() {
        assertThat(BenchmarkSettings.duration("--duration", "90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(BenchmarkSettings.duration("--duration", "PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(BenchmarkSettings.duration("--duration", "1h")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> BenchmarkSettings.duration("--duration", "soon"))
                .hasMessageContaining("--duration must be a duration");
    }

    @Test
    void badSettingsAreRefusedWithTheOptionNamed() {
        assertThatThrownBy(() -> BenchmarkSettings.parse("--duration", "60s"))
                .hasMessage("--write-key is required");
        assertThatThrownBy(() -> BenchmarkSettings.parse("--write-key", "k", "--batch-size", "3000"))
                .hasMessageContaining("--batch-size");
        assertThatThrownBy(() -> BenchmarkSettings.parse("--write-key", "k", "--url", "ftp://x"))
                .hasMessageContaining("--url");
        assertThatThrownBy(() -> BenchmarkSettings.parse("--write-key", "k", "--connections"))
                .hasMessage("--connections needs a value");
        assertThatThrownBy(() -> BenchmarkSettings.parse("--write-key", "k", "--colour", "red"))
                .hasMessage("unknown option --colour");
    }

    @Test
    void helpAsksOnlyForTheUsage() {
        assertThat(BenchmarkSettings.parse("--help")).isNull();
    }
}
