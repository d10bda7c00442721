package dev.ringway.io.echo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few protobuf wire-format pieces the gRPC echo writes: length-delimited fields (strings and embedded
 * messages). As in proto3, empty strings are not written.
 */
final class ProtoWriter {
    private static final int WIRE_TYPE_LEN = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    ProtoWriter string(int field, String value) {
        if (!value.isEmpty()) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** An embedded message, written even when empty (a set message field). */
    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    private ProtoWriter bytes(int field, byte[] value) {
        varint(field << 3 | WIRE_TYPE_LEN);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    private void varint(int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
