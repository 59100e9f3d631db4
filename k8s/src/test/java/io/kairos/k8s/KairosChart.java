package io.kairos.k8s;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** The chart under k8s/chart/kairos, driven through the real Helm library. */
final class KairosChart {

    static final Path DIR = Path.of("chart", "kairos");
    static final Path PRODUCTION_VALUES = Path.of("values-production.yaml");
    static final String RELEASE = "kairos";

    private static final YAMLMapper YAML = new YAMLMapper();

    private KairosChart() {
    }

    /** Renders the chart; {@code valuesFile} null means the chart's own defaults. */
    static List<Map<String, Object>> render(Path valuesFile) {
        return render(valuesFile, Map.of());
    }

    /**
     * Renders with {@code sets} as --set overrides. The binding's template output is the release
     * manifest, which leaves hooks out.
     */
    static List<Map<String, Object>> render(Path valuesFile, Map<String, Object> sets) {
        var template = new Helm(DIR).template().withName(RELEASE).withNamespace("kairos");
        if (valuesFile != null) {
            template.withValuesFile(valuesFile.toAbsolutePath());
        }
        sets.forEach(template::set);
        return parseDocuments(template.call());
    }

    static List<Map<String, Object>> parseDocuments(String manifests) {
        try (MappingIterator<Map<String, Object>> docs =
                     YAML.readerFor(new TypeReference<Map<String, Object>>() { }).readValues(manifests)) {
            return docs.readAll().stream().filter(Objects::nonNull).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lints the chart with {@code valuesFile} laid over its defaults. This Helm binding lints
     * only a chart's own values.yaml, so the values are coalesced the way Helm does (maps merge,
     * everything else replaces) into a copy of the chart.
     */
    static LintResult lint(Path valuesFile) {
        if (valuesFile == null) {
            return new Helm(DIR).lint().call();
        }
        return lint(read(valuesFile));
    }

    static LintResult lint(Map<String, Object> overrides) {
        try {
            Path copy = Files.createTempDirectory("kairos-chart").resolve("kairos");
            copyTree(DIR, copy);
            Map<String, Object> values = coalesce(read(DIR.resolve("values.yaml")), overrides);
            YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
            return new Helm(copy).lint().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> read(Path yaml) {
        try {
            return YAML.readValue(yaml.toFile(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> coalesce(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        overrides.forEach((key, value) -> merged.merge(key, value, (old, replacement) ->
                old instanceof Map<?, ?> oldMap && replacement instanceof Map<?, ?> newMap
                        ? coalesce((Map<String, Object>) oldMap, (Map<String, Object>) newMap)
                        : replacement));
        return merged;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(from)) {
            paths = new ArrayList<>(walk.toList());
        }
        for (Path source : paths) {
            Path target = to.resolve(from.relativize(source).toString());
            if (Files.isDirectory(source)) {
                Files.createDirectories(target);
            } else {
                Files.copy(source, target);
            }
        }
    }
}
