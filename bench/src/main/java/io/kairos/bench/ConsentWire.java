package io.kairos.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The consent benchmark's two messages in protobuf's wire format, by their field numbers in
 * kairos_consent.proto (as {@link EventWire} does for events: the api artifact holds no Java classes).
 */
final class ConsentWire {

    private static final int CHECK_WORKSPACE = 1;
    private static final int CHECK_PROFILE_ID = 2;
    private static final int CHECK_PURPOSE = 3;
    private static final int CHECK_CHANNEL = 4;
    private static final int DECISION_VERDICT = 1;

    private ConsentWire() {
    }

    /** A CheckRequest for now (at_ms left out). */
    static byte[] checkRequest(String workspace, String profileId, String purpose, String channel) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeString(CHECK_WORKSPACE, workspace);
            out.writeString(CHECK_PROFILE_ID, profileId);
            out.writeString(CHECK_PURPOSE, purpose);
            out.writeString(CHECK_CHANNEL, channel);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decision.verdict: 1 ALLOW, 2 DENY, 3 DEFER; 0 when absent. */
    static int verdict(byte[] decision) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(decision);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == DECISION_VERDICT
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                    return in.readEnum();
                }
                in.skipField(tag);
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
