package io.kairos.trigger.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * One condition on an event property: {@code {"property": "price", "gte": 10}}.
 * The property is a key of the event's properties or a dot path into nested objects
 * ("product.sku"); a literal key wins over a path. The operand is already checked by the
 * parser: a BigDecimal for gt/gte/lt/lte, a List for in, a Boolean for exists, a Duration
 * for withinLast, an Instant for before/after, a JSON scalar otherwise.
 */
public record PropertyFilter(String property, Operator operator, Object operand) {

    private static final Object ABSENT = new Object();

    public boolean matches(Map<String, Object> properties, Instant now) {
        Object value = lookup(properties, property);
        boolean present = value != ABSENT;
        return switch (operator) {
            case EQ -> present && same(value, operand);
            // Absent counts as "not equal", as in the segment DSL users know from Braze and Segment.
            case NEQ -> !(present && same(value, operand));
            case GT -> compares(value, order -> order > 0);
            case GTE -> compares(value, order -> order >= 0);
            case LT -> compares(value, order -> order < 0);
            case LTE -> compares(value, order -> order <= 0);
            case IN -> present && ((List<?>) operand).stream().anyMatch(candidate -> same(value, candidate));
            case CONTAINS -> contains(value, operand);
            case STARTS_WITH -> value instanceof String text && text.startsWith((String) operand);
            case EXISTS -> (present && value != null) == (Boolean) operand;
            case WITHIN_LAST -> {
                Instant at = instant(value);
                yield at != null && !at.isAfter(now) && !at.isBefore(now.minus((Duration) operand));
            }
            case BEFORE -> {
                Instant at = instant(value);
                yield at != null && at.isBefore((Instant) operand);
            }
            case AFTER -> {
                Instant at = instant(value);
                yield at != null && at.isAfter((Instant) operand);
            }
        };
    }

    private boolean compares(Object value, IntPredicate order) {
        BigDecimal number = decimal(value);
        return number != null && order.test(number.compareTo((BigDecimal) operand));
    }

    private static Object lookup(Map<String, Object> properties, String path) {
        if (properties.containsKey(path)) {
            return properties.get(path);
        }
        Object current = properties;
        for (String segment : path.split("\\.", -1)) {
            if (!(current instanceof Map<?, ?> object) || !object.containsKey(segment)) {
                return ABSENT;
            }
            current = object.get(segment);
        }
        return current;
    }

    private static boolean contains(Object value, Object needle) {
        if (value instanceof String text) {
            return needle instanceof String part ? text.contains(part) : text.contains(String.valueOf(needle));
        }
        return value instanceof List<?> items && items.stream().anyMatch(item -> same(item, needle));
    }

    /** JSON equality where numbers compare by value (1 == 1.0) and numeric strings count as numbers. */
    static boolean same(Object value, Object operand) {
        if (value instanceof Number || operand instanceof Number) {
            BigDecimal left = decimal(value);
            BigDecimal right = decimal(operand);
            return left != null && right != null && left.compareTo(right) == 0;
        }
        return Objects.equals(value, operand);
    }

    /** Numbers, and strings that hold one (tracking plans often send "12.50"). */
    static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        if (value instanceof String text) {
            try {
                return new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** ISO-8601 instants, offset date-times or dates (midnight UTC), or epoch milliseconds. */
    static Instant instant(Object value) {
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notOffsetDateTime) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
        if (value instanceof Number number) {
            return Instant.ofEpochMilli(decimal(number).longValue());
        }
        return null;
    }
}
