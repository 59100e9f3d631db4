package io.kairos.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The messages the profile and reaction benchmarks need, in protobuf's wire format, by their field numbers
 * in kairos_events.proto. The Java classes of the protos are generated inside each Quarkus service,
 * not in the api artifact, so the benchmark writes and reads the few fields it needs itself.
 */
final class EventWire {

    // RawEvent
    private static final int RAW_WORKSPACE = 1;
    private static final int RAW_MESSAGE_ID = 2;
    private static final int RAW_TYPE = 3;
    private static final int RAW_ANONYMOUS_ID = 5;
    private static final int RAW_EVENT = 6;
    private static final int RAW_TIMESTAMP_MS = 7;
    private static final int RAW_RECEIVED_AT_MS = 8;
    private static final int RAW_SOURCE_ID = 9;
    private static final int RAW_CHANNEL = 10;
    private static final int RAW_PAYLOAD_JSON = 13;
    // ResolvedEvent.event (ProfileEvent) and ProfileEvent.raw (RawEvent)
    private static final int RESOLVED_WORKSPACE = 1;
    private static final int RESOLVED_PROFILE_ID = 2;
    private static final int RESOLVED_EVENT = 3;
    private static final int PROFILE_EVENT_RAW = 1;
    private static final int PROFILE_EVENT_TRAITS_JSON = 3;

    private EventWire() {
    }

    /** A RawEvent of a track call by an anonymous visitor, as the gateway writes it. */
    static byte[] rawTrack(String workspace, String messageId, String anonymousId, String event, String channel,
                           long atMs, String payloadJson) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + payloadJson.length());
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeString(RAW_WORKSPACE, workspace);
            out.writeString(RAW_MESSAGE_ID, messageId);
            out.writeString(RAW_TYPE, "track");
            out.writeString(RAW_ANONYMOUS_ID, anonymousId);
            out.writeString(RAW_EVENT, event);
            out.writeInt64(RAW_TIMESTAMP_MS, atMs);
            out.writeInt64(RAW_RECEIVED_AT_MS, atMs);
            out.writeString(RAW_SOURCE_ID, "bench");
            out.writeString(RAW_CHANNEL, channel);
            out.writeByteArray(RAW_PAYLOAD_JSON, payloadJson.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A ResolvedEvent of a track call by a known profile, as profile-service writes it. */
    static byte[] resolvedTrack(String workspace, String profileId, byte[] rawTrack, String traitsJson) {
        ByteArrayOutputStream event = new ByteArrayOutputStream(rawTrack.length + 64);
        ByteArrayOutputStream resolved = new ByteArrayOutputStream(rawTrack.length + 128);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(event);
            out.writeByteArray(PROFILE_EVENT_RAW, rawTrack);
            out.writeByteArray(PROFILE_EVENT_TRAITS_JSON, traitsJson.getBytes(StandardCharsets.UTF_8));
            out.flush();
            out = CodedOutputStream.newInstance(resolved);
            out.writeString(RESOLVED_WORKSPACE, workspace);
            out.writeString(RESOLVED_PROFILE_ID, profileId);
            out.writeByteArray(RESOLVED_EVENT, event.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return resolved.toByteArray();
    }

    /** The messageId of the raw event inside a ResolvedEvent; empty for a merge or a deletion. */
    static Optional<String> resolvedMessageId(byte[] resolved) throws IOException {
        return field(resolved, RESOLVED_EVENT)
                .flatMap(profileEvent -> field(profileEvent, PROFILE_EVENT_RAW))
                .flatMap(raw -> field(raw, RAW_MESSAGE_ID))
                .map(id -> new String(id, StandardCharsets.UTF_8));
    }

    /** The bytes of a length-delimited field (string, bytes or message). */
    private static Optional<byte[]> field(byte[] message, int number) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(message);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == number
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    return Optional.of(in.readByteArray());
                }
                in.skipField(tag);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
