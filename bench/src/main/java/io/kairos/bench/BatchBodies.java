package io.kairos.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Pre-encoded {@code /v1/batch} request bodies, so that the load generator spends its CPU on
 * sending rather than on JSON. A fixed set of templates is encoded once; each request copies
 * one and overwrites its fixed-width slots in place: a messageId sequence unique in the run,
 * and for every message a profile drawn at random (its anonymousId, and userId and email
 * where the message has them).
 * <p>
 * Not thread-safe: one sender thread asks for bodies.
 */
final class BatchBodies {

    static final int TEMPLATES = 64;

    private enum SlotKind { SEQUENCE, PROFILE_HEX, PROFILE_DECIMAL }

    /** Where a placeholder is in a template, and which message of the batch it belongs to. */
    private record Slot(int offset, int length, SlotKind kind, int message) {
    }

    private record Template(byte[] bytes, Slot[] slots) {
    }

    /** What the templates hold, for the report. */
    record Composition(Map<String, Integer> labels, Map<String, Integer> channels, int minEventBytes,
                       int maxEventBytes, double meanEventBytes, int meanBodyBytes) {
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final Template[] templates;
    private final int batchSize;
    private final int profiles;
    private final Composition composition;
    private final SplittableRandom random;
    private final int[] requestProfiles;

    private BatchBodies(Template[] templates, int batchSize, int profiles, Composition composition,
                        SplittableRandom random) {
        this.templates = templates;
        this.batchSize = batchSize;
        this.profiles = profiles;
        this.composition = composition;
        this.random = random;
        this.requestProfiles = new int[batchSize];
    }

    static BatchBodies generate(int batchSize, int eventBytes, int profiles, Instant start, SplittableRandom random) {
        // Segment libraries send milliseconds.
        Instant now = start.truncatedTo(ChronoUnit.MILLIS);
        String messageIdPrefix = hex(random, 8) + "-" + hex(random, 4) + "-4" + hex(random, 3) + "-8" + hex(random, 3);
        EventMix mix = new EventMix(messageIdPrefix, profiles, eventBytes, now, random);
        Template[] templates = new Template[TEMPLATES];
        Map<String, Integer> labels = new TreeMap<>();
        Map<String, Integer> channels = new TreeMap<>();
        int minEvent = Integer.MAX_VALUE;
        int maxEvent = 0;
        long eventBytesTotal = 0;
        long bodyBytesTotal = 0;
        for (int t = 0; t < TEMPLATES; t++) {
            JsonArray batch = new JsonArray();
            for (int i = 0; i < batchSize; i++) {
                EventMix.Generated generated = mix.next();
                int size = generated.message().toBuffer().length();
                minEvent = Math.min(minEvent, size);
                maxEvent = Math.max(maxEvent, size);
                eventBytesTotal += size;
                labels.merge(generated.label(), 1, Integer::sum);
                channels.merge(generated.channel().wireName(), 1, Integer::sum);
                batch.add(generated.message());
            }
            // As analytics-node and the other server libraries send it.
            byte[] bytes = new JsonObject().put("batch", batch).put("sentAt", now.toString()).toBuffer().getBytes();
            templates[t] = new Template(bytes, slots(bytes, batchSize, EventMix.decimalDigits(profiles - 1)));
            bodyBytesTotal += bytes.length;
        }
        Composition composition = new Composition(labels, channels, minEvent, maxEvent,
                (double) eventBytesTotal / ((long) TEMPLATES * batchSize), (int) (bodyBytesTotal / TEMPLATES));
        return new BatchBodies(templates, batchSize, profiles, composition, random);
    }

    int batchSize() {
        return batchSize;
    }

    Composition composition() {
        return composition;
    }

    /** The body of the {@code request}-th request of the run (from 0). */
    byte[] body(long request) {
        Template template = templates[(int) (request % templates.length)];
        byte[] bytes = template.bytes().clone();
        long firstSequence = request * batchSize;
        for (int i = 0; i < batchSize; i++) {
            requestProfiles[i] = random.nextInt(profiles);
        }
        for (Slot slot : template.slots()) {
            switch (slot.kind()) {
                case SEQUENCE -> writeHex(bytes, slot, firstSequence + slot.message());
                case PROFILE_HEX -> writeHex(bytes, slot, requestProfiles[slot.message()]);
                case PROFILE_DECIMAL -> writeDecimal(bytes, slot, requestProfiles[slot.message()]);
            }
        }
        return bytes;
    }

    private static Slot[] slots(byte[] bytes, int batchSize, int profileDigits) {
        List<Slot> slots = new ArrayList<>();
        int message = -1;
        for (int i = 0; i < bytes.length; ) {
            SlotKind kind = switch (bytes[i]) {
                case EventMix.SEQUENCE_MARK -> SlotKind.SEQUENCE;
                case EventMix.PROFILE_HEX_MARK -> SlotKind.PROFILE_HEX;
                case EventMix.PROFILE_DECIMAL_MARK -> SlotKind.PROFILE_DECIMAL;
                default -> null;
            };
            if (kind == null) {
                i++;
                continue;
            }
            int end = i;
            while (end < bytes.length && bytes[end] == bytes[i]) {
                end++;
            }
            int expected = kind == SlotKind.PROFILE_DECIMAL ? profileDigits : EventMix.HEX_DIGITS;
            if (kind == SlotKind.SEQUENCE) {
                message++;
            }
            if (end - i != expected || message < 0) {
                throw new IllegalStateException("a placeholder of " + kind + " at byte " + i + " is malformed");
            }
            slots.add(new Slot(i, end - i, kind, message));
            i = end;
        }
        if (message + 1 != batchSize) {
            throw new IllegalStateException("found " + (message + 1) + " messageIds in a batch of " + batchSize);
        }
        return slots.toArray(Slot[]::new);
    }

    private static void writeHex(byte[] bytes, Slot slot, long value) {
        for (int i = slot.offset() + slot.length() - 1; i >= slot.offset(); i--) {
            bytes[i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
    }

    private static void writeDecimal(byte[] bytes, Slot slot, long value) {
        for (int i = slot.offset() + slot.length() - 1; i >= slot.offset(); i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static String hex(SplittableRandom random, int digits) {
        StringBuilder text = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            text.append(Character.forDigit(random.nextInt(16), 16));
        }
        return text.toString();
    }
}
