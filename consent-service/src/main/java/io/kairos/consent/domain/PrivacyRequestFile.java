package io.kairos.consent.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** A privacy request with everything recorded about it: each service's latest report and the audit log. */
public record PrivacyRequestFile(PrivacyRequest request, List<ServiceReport> reports, List<PrivacyAuditEntry> audit) {

    public PrivacyRequestFile {
        reports = List.copyOf(reports);
        audit = List.copyOf(audit);
    }

    public PrivacyProgress progress() {
        return PrivacyProgress.of(request.services(), reports.stream()
                .collect(Collectors.toMap(ServiceReport::service, ServiceReport::outcome)));
    }

    /** The file as it will be once {@code report} replaces the service's previous one. */
    public PrivacyRequestFile withReport(ServiceReport report) {
        List<ServiceReport> replaced = new ArrayList<>(reports.stream()
                .filter(stored -> !stored.service().equals(report.service())).toList());
        replaced.add(report);
        return new PrivacyRequestFile(request, replaced, audit);
    }

    public Optional<ServiceReport> report(String service) {
        return reports.stream().filter(report -> report.service().equals(service)).findFirst();
    }

    public boolean overdue(Instant now) {
        return request.overdue(now);
    }

    /** The services' reports by service, in the order the request lists them. */
    public Map<String, Optional<ServiceReport>> progressByService() {
        Map<String, Optional<ServiceReport>> byService = new LinkedHashMap<>();
        request.services().forEach(service -> byService.put(service, report(service)));
        return byService;
    }
}
