package io.kairos.trigger.domain;

import java.util.Arrays;
import java.util.Optional;

/** Comparison operators of property filters, as in the segment condition DSL. */
public enum Operator {
    EQ("eq"), NEQ("neq"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), IN("in"), CONTAINS("contains"),
    STARTS_WITH("startsWith"), EXISTS("exists"), WITHIN_LAST("withinLast"), BEFORE("before"), AFTER("after");

    private final String wireName;

    Operator(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Operator> fromWireName(String name) {
        return Arrays.stream(values()).filter(o -> o.wireName.equals(name)).findFirst();
    }
}
