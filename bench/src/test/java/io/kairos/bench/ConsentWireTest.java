package io.kairos.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsentWireTest {

    @Test
    void a_check_request_carries_its_four_fields_in_order() throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(ConsentWire.checkRequest("ws", "p-1", "marketing", "sms"));
        List<String> fields = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            fields.add((tag >>> 3) + "=" + in.readString());
        }
        assertThat(fields).containsExactly("1=ws", "2=p-1", "3=marketing", "4=sms");
    }

    @Test
    void the_verdict_is_read_wherever_it_stands_and_is_zero_when_absent() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(2, "quiet hours");
        out.writeInt64(3, 1_780_000_000_000L);
        out.writeEnum(1, 3);
        out.flush();
        assertThat(ConsentWire.verdict(bytes.toByteArray())).isEqualTo(3);
        assertThat(ConsentWire.verdict(new byte[0])).isZero();
    }
}
