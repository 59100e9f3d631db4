package io.kairos.gateway.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place in a visitor's in-app inbox: the id of an entry of the Redis stream that holds it
 * ({@code <milliseconds>-<sequence>}). It is the SSE event id, so a reconnecting EventSource
 * sends back the last one it saw as {@code Last-Event-ID}.
 */
public record InboxPosition(long millis, long sequence) {

    /** Before every entry: resuming from here replays the whole inbox. */
    public static final InboxPosition START = new InboxPosition(0, 0);

    private static final Pattern ID = Pattern.compile("(\\d{1,20})(?:-(\\d{1,20}))?");

    /**
     * Parses an id the client sends back. A bare number is accepted as {@code <number>-0}, so
     * {@code 0} asks for the whole inbox.
     *
     * @param field JSON pointer reported when the id is malformed
     */
    public static InboxPosition parse(String id, String field) {
        Matcher matcher = ID.matcher(id.strip());
        if (matcher.matches()) {
            try {
                long millis = Long.parseUnsignedLong(matcher.group(1));
                long sequence = matcher.group(2) == null ? 0 : Long.parseUnsignedLong(matcher.group(2));
                return new InboxPosition(millis, sequence);
            } catch (NumberFormatException beyond64Bits) {
                // reported below, like any other id that no inbox entry can have
            }
        }
        throw new InvalidInputException("INVALID_LAST_EVENT_ID", field,
                "'" + id + "' is not an event id of this stream: send back the id of the last event received");
    }

    /** The stream entry id, as Redis writes it (both parts unsigned). */
    public String id() {
        return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }

    @Override
    public String toString() {
        return id();
    }
}
