package io.kairos.consent.domain;

import java.util.List;
import java.util.Map;

/** Where a privacy request stands, from the latest report of each service it waits for. */
public enum PrivacyProgress {
    /** Some service has not reported done yet, and none failed. */
    PENDING,
    /** Every service reported done. */
    COMPLETED,
    /** A service's latest report is a failure; it may still report done later. */
    FAILED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static PrivacyProgress of(List<String> services, Map<String, ServiceReport.Outcome> latest) {
        boolean allDone = true;
        for (String service : services) {
            ServiceReport.Outcome outcome = latest.get(service);
            if (outcome == ServiceReport.Outcome.FAILED) {
                return FAILED;
            }
            allDone &= outcome == ServiceReport.Outcome.DONE;
        }
        return allDone ? COMPLETED : PENDING;
    }
}
