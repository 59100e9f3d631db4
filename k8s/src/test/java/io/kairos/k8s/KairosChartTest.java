package io.kairos.k8s;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.kairos.k8s.Manifest.component;
import static io.kairos.k8s.Manifest.container;
import static io.kairos.k8s.Manifest.kind;
import static io.kairos.k8s.Manifest.list;
import static io.kairos.k8s.Manifest.map;
import static io.kairos.k8s.Manifest.name;
import static io.kairos.k8s.Manifest.ofKind;
import static io.kairos.k8s.Manifest.string;
import static org.assertj.core.api.Assertions.assertThat;

class KairosChartTest {

    static final Map<String, Integer> PORTS = Map.of("gateway", 8080, "profile-service", 8081,
            "segment-service", 8082, "trigger-service", 8083, "consent-service", 8084);
    static final List<String> TOPICS = List.of("kairos.events.raw", "kairos.events.resolved",
            "kairos.segments.membership", "kairos.actions", "kairos.privacy.requests");

    static Stream<Arguments> valueSets() {
        return Stream.of(Arguments.of("defaults", null),
                Arguments.of("production", KairosChart.PRODUCTION_VALUES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void lintsWithoutErrors(String label, Path values) {
        var result = KairosChart.lint(values);

        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]"));
    }

    @Test
    void lintReportsABrokenValuesSet() {
        // Proves the lint assertion above can fail. (`required` is only a warning in lint mode.)
        var result = KairosChart.lint(Map.of("services", "not-a-map"));

        assertThat(result.isFailed()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyDocumentIsAKubernetesObject(String label, Path values) {
        var docs = KairosChart.render(values);

        assertThat(docs).isNotEmpty().allSatisfy(doc -> {
            assertThat(string(doc, "apiVersion")).as("apiVersion of %s", doc).isNotBlank();
            assertThat(kind(doc)).as("kind of %s", doc).isNotBlank();
            assertThat(name(doc)).as("metadata.name of %s", doc).isNotBlank();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void eachServiceHasItsFullSetOfResources(String label, Path values) {
        var docs = KairosChart.render(values);

        for (String kind : List.of("Deployment", "Service", "ServiceAccount", "ConfigMap",
                "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy")) {
            assertThat(ofKind(docs, kind).stream().map(Manifest::component).collect(Collectors.toSet()))
                    .as(kind).containsAll(PORTS.keySet());
        }
        assertThat(ofKind(docs, "HorizontalPodAutoscaler"))
                .allSatisfy(hpa -> assertThat(string(hpa, "apiVersion")).isEqualTo("autoscaling/v2"));
        assertThat(ofKind(docs, "Ingress")).singleElement()
                .satisfies(ingress -> assertThat(component(ingress)).isEqualTo("gateway"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void deploymentsAreProbedLimitedAndLockedDown(String label, Path values) {
        var deployments = ofKind(KairosChart.render(values), "Deployment");

        assertThat(deployments).hasSize(PORTS.size()).allSatisfy(deployment -> {
            var pod = map(deployment, "spec", "template", "spec");
            var container = container(deployment);
            assertThat(string(container, "livenessProbe", "httpGet", "path")).isEqualTo("/q/health/live");
            assertThat(string(container, "readinessProbe", "httpGet", "path")).isEqualTo("/q/health/ready");
            assertThat(map(container, "resources", "requests")).containsKeys("cpu", "memory");
            assertThat(map(container, "resources", "limits")).containsKeys("cpu", "memory");

            var podSecurity = map(pod, "securityContext");
            assertThat(podSecurity).containsEntry("runAsNonRoot", true).containsKey("fsGroup");
            assertThat(podSecurity.get("runAsUser")).isIn(185, 1001);
            assertThat(string(podSecurity, "seccompProfile", "type")).isEqualTo("RuntimeDefault");

            var containerSecurity = map(container, "securityContext");
            assertThat(containerSecurity).containsEntry("readOnlyRootFilesystem", true)
                    .containsEntry("allowPrivilegeEscalation", false);
            assertThat(map(containerSecurity, "capabilities").get("drop")).isEqualTo(List.of("ALL"));

            var tmpVolume = list(container, "volumeMounts").stream()
                    .filter(m -> "/tmp".equals(m.get("mountPath"))).findFirst().orElseThrow();
            assertThat(list(pod, "volumes")).anySatisfy(v -> {
                assertThat(v.get("name")).isEqualTo(tmpVolume.get("name"));
                assertThat(v).containsKey("emptyDir");
            });
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void probesAndServicesTargetPortsTheContainerHas(String label, Path values) {
        var docs = KairosChart.render(values);
        var deployments = ofKind(docs, "Deployment");

        for (var deployment : deployments) {
            var container = container(deployment);
            var ports = containerPorts(container);
            assertThat(ports.get("http")).isEqualTo(PORTS.get(component(deployment)));
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                Object port = map(container, probe, "httpGet").get("port");
                if (port != null) {
                    assertThat(ports).as("%s of %s", probe, name(deployment)).satisfies(p ->
                            assertThat(p.containsKey(port.toString()) || p.containsValue(port)).isTrue());
                }
            }
        }
        for (var service : ofKind(docs, "Service")) {
            var selector = map(service, "spec", "selector");
            var selected = deployments.stream()
                    .filter(d -> map(d, "spec", "template", "metadata", "labels").entrySet()
                            .containsAll(selector.entrySet()))
                    .toList();
            assertThat(selector).as("selector of %s", name(service)).isNotEmpty();
            assertThat(selected).as("deployments selected by %s", name(service)).singleElement();
            var ports = containerPorts(container(selected.getFirst()));
            assertThat(list(service, "spec", "ports")).singleElement().satisfies(port -> {
                assertThat(port.get("name")).isEqualTo("http");
                Object target = port.get("targetPort");
                assertThat(ports.containsKey(target.toString()) || ports.containsValue(target))
                        .as("targetPort %s of %s", target, name(service)).isTrue();
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void onlyTheGatewayIsOpenToEveryone(String label, Path values) {
        var policies = ofKind(KairosChart.render(values), "NetworkPolicy").stream()
                .collect(Collectors.toMap(Manifest::component, p -> p));

        assertThat(policies.keySet()).containsExactlyInAnyOrderElementsOf(PORTS.keySet());
        assertThat(allowedFrom(policies.get("gateway"))).containsExactly("*");
        assertThat(allowedFrom(policies.get("profile-service")))
                .containsExactlyInAnyOrder("gateway", "segment-service", "trigger-service");
        assertThat(allowedFrom(policies.get("segment-service"))).containsExactlyInAnyOrder("gateway", "trigger-service");
        assertThat(allowedFrom(policies.get("trigger-service"))).containsExactly("gateway");
        assertThat(allowedFrom(policies.get("consent-service")))
                .containsExactlyInAnyOrder("gateway", "profile-service", "segment-service", "trigger-service");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void callersAreWiredToTheServicesTheyCall(String label, Path values) {
        var docs = KairosChart.render(values);
        var services = ofKind(docs, "Service").stream()
                .collect(Collectors.toMap(Manifest::name, s -> list(s, "spec", "ports").getFirst().get("port")));
        var config = ofKind(docs, "ConfigMap").stream().filter(c -> component(c) != null)
                .collect(Collectors.toMap(Manifest::component, c -> map(c, "data")));

        assertThat(config.values()).allSatisfy(env -> assertThat(env)
                .containsEntry("QUARKUS_HTTP_HOST", "0.0.0.0")
                .containsKeys("QUARKUS_HTTP_PORT", "KAIROS_PG_HOST", "KAIROS_PG_PORT", "KAIROS_PG_USER",
                        "KAIROS_KAFKA_BOOTSTRAP", "KAIROS_REDIS_HOST", "KAIROS_REDIS_PORT")
                .doesNotContainKey("KAIROS_PG_PASSWORD"));
        assertThat(config.get("gateway")).containsKey("KAIROS_KEYCLOAK_URL");
        for (String callee : List.of("PROFILE", "SEGMENT", "TRIGGER", "CONSENT")) {
            assertAddresses(config.get("gateway"), callee, services);
        }
        // Privacy requests: every service holding profile data reports its outcome to consent-service.
        for (String reporter : List.of("profile-service", "segment-service", "trigger-service")) {
            assertAddresses(config.get(reporter), "CONSENT", services);
        }
        assertThat(config.get("consent-service")).doesNotContainKey("KAIROS_PROFILE_HOST");
        // Audiences: trigger-service asks segment-service about a profile's memberships.
        assertAddresses(config.get("trigger-service"), "SEGMENT", services);
        // Retention: segment- and trigger-service learn each workspace's history retention from profile-service.
        for (String keeper : List.of("segment-service", "trigger-service")) {
            assertAddresses(config.get(keeper), "PROFILE", services);
        }

        assertThat(ofKind(docs, "Deployment")).allSatisfy(d -> assertThat(list(container(d), "env"))
                .anySatisfy(e -> {
                    assertThat(e.get("name")).isEqualTo("KAIROS_PG_PASSWORD");
                    assertThat(map(e, "valueFrom", "secretKeyRef")).containsKeys("name", "key");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void imagesNameNoRegistryByDefault(String label, Path values) {
        var deployments = ofKind(KairosChart.render(values), "Deployment");

        assertThat(deployments).allSatisfy(d -> assertThat(string(container(d), "image"))
                .isEqualTo("kairos/" + component(d) + ":0.1.0-SNAPSHOT"));
    }

    @Test
    void defaultsCreateTheSecretAndNoTopicsNorBootstrap() {
        var docs = KairosChart.render(null);

        assertThat(ofKind(docs, "Secret")).singleElement();
        assertThat(ofKind(docs, "KafkaTopic")).isEmpty();
        assertThat(ofKind(docs, "Job")).isEmpty();
    }

    @Test
    void productionUsesTheExistingSecretAndCreatesTopicsAndBootstrap() {
        var docs = KairosChart.render(KairosChart.PRODUCTION_VALUES);

        assertThat(ofKind(docs, "Secret")).isEmpty();
        assertThat(ofKind(docs, "Deployment")).allSatisfy(d -> assertThat(list(container(d), "env"))
                .anySatisfy(e -> assertThat(string(e, "valueFrom", "secretKeyRef", "name"))
                        .isEqualTo("kairos-credentials")));

        var topics = ofKind(docs, "KafkaTopic").stream()
                .collect(Collectors.toMap(t -> string(t, "spec", "topicName"), t -> t));
        var expected = TOPICS.stream().flatMap(t -> Stream.of(t, t + ".dlq")).collect(Collectors.toSet());
        assertThat(topics.keySet()).isEqualTo(expected);
        assertThat(topics.values()).allSatisfy(t -> {
            assertThat(string(t, "apiVersion")).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(string(t, "metadata", "labels", "strimzi.io/cluster")).isEqualTo("kairos");
        });
        assertThat(map(topics.get("kairos.events.raw"), "spec").get("partitions")).isEqualTo(24);
        assertThat(string(topics.get("kairos.events.raw"), "spec", "config", "retention.ms")).isEqualTo("604800000");
        assertThat(map(topics.get("kairos.actions.dlq"), "spec").get("partitions")).isEqualTo(3);
        assertThat(string(topics.get("kairos.actions.dlq"), "spec", "config", "retention.ms")).isEqualTo("2592000000");

        // A hook is not part of the release manifest: the Job only shows when rendered as a plain Job.
        assertThat(ofKind(docs, "Job")).isEmpty();
        assertThat(KairosChart.read(KairosChart.PRODUCTION_VALUES)).extractingByKey("bootstrap")
                .isEqualTo(Map.of("enabled", true));
        docs = KairosChart.render(KairosChart.PRODUCTION_VALUES, Map.of("bootstrap.hook", ""));
        var job = ofKind(docs, "Job").stream().filter(j -> name(j).endsWith("-bootstrap")).findFirst().orElseThrow();
        var pod = map(job, "spec", "template", "spec");
        String script = list(pod, "initContainers").getFirst().get("args").toString();
        assertThat(script).contains("psql").contains("kairos_gateway", "kairos_profile", "kairos_segment",
                "kairos_trigger", "kairos_consent");
        var realmMap = list(pod, "volumes").stream().map(v -> string(v, "configMap", "name"))
                .filter(n -> n != null).findFirst().orElseThrow();
        assertThat(ofKind(docs, "ConfigMap")).anySatisfy(c -> {
            assertThat(name(c)).isEqualTo(realmMap);
            assertThat(string(c, "data", "kairos-realm.json")).contains("\"realm\"").contains("kairos");
        });
    }

    private static void assertAddresses(Map<String, Object> env, String callee, Map<String, Object> services) {
        String host = (String) env.get("KAIROS_" + callee + "_HOST");
        assertThat(services).as("Service named by KAIROS_%s_HOST", callee).containsKey(host);
        assertThat(env.get("KAIROS_" + callee + "_PORT")).isEqualTo(services.get(host).toString());
    }

    private static Map<String, Object> containerPorts(Map<String, Object> container) {
        Map<String, Object> ports = new HashMap<>();
        list(container, "ports").forEach(p -> ports.put(p.get("name").toString(), p.get("containerPort")));
        return ports;
    }

    /** The components a NetworkPolicy admits, "*" when any source may connect. */
    private static Set<String> allowedFrom(Map<String, Object> policy) {
        var rules = list(policy, "spec", "ingress");
        assertThat(rules).as("ingress rules of %s", name(policy)).isNotEmpty();
        if (rules.stream().anyMatch(r -> list(r, "from").isEmpty())) {
            return Set.of("*");
        }
        return rules.stream().flatMap(r -> list(r, "from").stream()).flatMap(peer -> {
            assertThat(peer).as("peers must be pods of this release").containsOnlyKeys("podSelector");
            var selector = map(peer, "podSelector");
            assertThat(map(selector, "matchLabels")).containsEntry("app.kubernetes.io/instance", KairosChart.RELEASE);
            return list(selector, "matchExpressions").stream()
                    .filter(e -> "app.kubernetes.io/component".equals(e.get("key")) && "In".equals(e.get("operator")))
                    .flatMap(e -> ((List<?>) e.get("values")).stream().map(Object::toString));
        }).collect(Collectors.toSet());
    }
}
