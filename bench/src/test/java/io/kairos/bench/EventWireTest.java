package io.kairos.bench;

import com.google.protobuf.CodedOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class EventWireTest {

    @Test
    void the_message_id_of_a_raw_event_is_found_inside_the_resolved_event_that_wraps_it() throws IOException {
        byte[] raw = EventWire.rawTrack("ws-1", "m-42", "a-7", "Product Viewed", "web", 1_700_000_000_000L, "{\"x\":1}");
        // ResolvedEvent {workspace = 1, profile_id = 2, event = 3 {raw = 1, changed_traits_json = 2}}
        byte[] profileEvent = message(out -> {
            out.writeByteArray(1, raw);
            out.writeByteArray(2, "{}".getBytes());
        });
        byte[] resolved = message(out -> {
            out.writeString(1, "ws-1");
            out.writeString(2, "p-1");
            out.writeByteArray(3, profileEvent);
        });
        byte[] merged = message(out -> {
            out.writeString(1, "ws-1");
            out.writeByteArray(4, new byte[] {10, 3, 'p', '-', '1'});
        });

        assertThat(EventWire.resolvedMessageId(resolved)).contains("m-42");
        assertThat(EventWire.resolvedMessageId(merged)).isEmpty();
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }
}
