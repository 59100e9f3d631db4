package io.kairos.segment.domain;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON value of a trait, an event property or a condition operand, independent of any
 * JSON library so that the condition tree and its evaluation stay framework-free.
 */
public sealed interface Value {

    Null NULL = new Null();

    record Text(String value) implements Value {
        public Text {
            Objects.requireNonNull(value);
        }
    }

    /** Numbers compare by value: 1, 1.0 and 1e0 are the same number. */
    record Num(BigDecimal value) implements Value {
        public Num {
            value = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        }

        public static Num of(long n) {
            return new Num(BigDecimal.valueOf(n));
        }
    }

    record Bool(boolean value) implements Value {
    }

    record Items(List<Value> values) implements Value {
        public Items {
            values = List.copyOf(values);
        }
    }

    record Obj(Map<String, Value> fields) implements Value {
        public Obj {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    record Null() implements Value {
    }

    default boolean isScalar() {
        return this instanceof Text || this instanceof Num || this instanceof Bool;
    }
}
