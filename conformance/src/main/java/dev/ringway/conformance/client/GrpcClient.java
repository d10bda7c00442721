package dev.ringway.conformance.client;

import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Unary gRPC calls of the echo service (ECHO.md 4) over an {@link H2Connection}: empty {@code EchoRequest}, the
 * {@code EchoResponse} decoded by hand (fields: assertions{fully_qualified_method, headers, authority,
 * context{namespace, ingress, service_name, pod}}).
 */
public final class GrpcClient {
    static final String[] CODES = {"OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound",
        "AlreadyExists", "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange",
        "Unimplemented", "Internal", "Unavailable", "DataLoss", "Unauthenticated"};

    private GrpcClient() {}

    /** The outcome of a call: Go code name, and the decoded response when OK. */
    public record Result(String code, String message, String fullyQualifiedMethod, String authority,
                         String namespace, String serviceName, String pod, List<String[]> headers) {}

    public static Result call(H2Connection conn, String authority, String service, String method,
                              Map<String, String> metadata, Duration timeout) throws TransportException {
        List<HttpCall.Header> extra = new ArrayList<>();
        extra.add(new HttpCall.Header("content-type", "application/grpc"));
        extra.add(new HttpCall.Header("te", "trailers"));
        if (metadata != null) {
            metadata.forEach((k, v) -> extra.add(new HttpCall.Header(k.toLowerCase(java.util.Locale.ROOT), v)));
        }
        Http2Headers h = H2Connection.headers("POST", "http", authority, "/" + service + "/" + method, extra);
        H2Connection.Answer a = conn.exchange(h, new byte[] {0, 0, 0, 0, 0}, timeout);
        int http = a.status();
        String status = a.trailer("grpc-status");
        if (status == null) {
            if (http != 200) {
                return new Result(httpToCode(http), "HTTP status " + http, null, null, null, null, null, List.of());
            }
            return new Result("Unknown", "no grpc-status", null, null, null, null, null, List.of());
        }
        int code;
        try {
            code = Integer.parseInt(status.trim());
        } catch (NumberFormatException e) {
            return new Result("Unknown", "bad grpc-status " + status, null, null, null, null, null, List.of());
        }
        String name = code >= 0 && code < CODES.length ? CODES[code] : "Unknown";
        if (code != 0) {
            return new Result(name, a.trailer("grpc-message"), null, null, null, null, null, List.of());
        }
        byte[] body = a.body();
        if (body.length < 5) {
            throw new TransportException("gRPC OK without a response message");
        }
        int len = ((body[1] & 0xff) << 24) | ((body[2] & 0xff) << 16) | ((body[3] & 0xff) << 8) | (body[4] & 0xff);
        if (body[0] != 0 || body.length < 5 + len) {
            throw new TransportException("malformed gRPC response message");
        }
        byte[] msg = java.util.Arrays.copyOfRange(body, 5, 5 + len);
        String[] f = new String[7];
        List<String[]> headers = new ArrayList<>();
        decodeResponse(msg, f, headers);
        return new Result("OK", null, f[0], f[1], f[2], f[3], f[4], headers);
    }

    /** grpc-go's mapping of HTTP status to code when no grpc-status is present. */
    static String httpToCode(int http) {
        return switch (http) {
            case 400 -> "Internal";
            case 401 -> "Unauthenticated";
            case 403 -> "PermissionDenied";
            case 404 -> "Unimplemented";
            case 429, 502, 503, 504 -> "Unavailable";
            default -> "Unknown";
        };
    }

    // protobuf decoding --------------------------------------------------------------------------------------

    static void decodeResponse(byte[] msg, String[] out, List<String[]> headers) throws TransportException {
        for (Field fl : fields(msg)) {
            if (fl.number == 1 && fl.bytes != null) { // assertions
                for (Field a : fields(fl.bytes)) {
                    if (a.bytes == null) {
                        continue;
                    }
                    switch (a.number) {
                        case 1 -> out[0] = str(a.bytes);
                        case 2 -> {
                            String[] kv = new String[2];
                            for (Field h : fields(a.bytes)) {
                                if (h.bytes != null && (h.number == 1 || h.number == 2)) {
                                    kv[h.number - 1] = str(h.bytes);
                                }
                            }
                            headers.add(kv);
                        }
                        case 3 -> out[1] = str(a.bytes);
                        case 4 -> {
                            for (Field c : fields(a.bytes)) {
                                if (c.bytes == null) {
                                    continue;
                                }
                                switch (c.number) {
                                    case 1 -> out[2] = str(c.bytes);
                                    case 3 -> out[3] = str(c.bytes);
                                    case 4 -> out[4] = str(c.bytes);
                                    default -> { }
                                }
                            }
                        }
                        default -> { }
                    }
                }
            }
        }
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    record Field(int number, byte[] bytes) {}

    static List<Field> fields(byte[] b) throws TransportException {
        List<Field> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < b.length) {
            long key = varint(b, pos);
            int number = (int) (key >>> 3);
            int type = (int) (key & 7);
            switch (type) {
                case 0 -> varint(b, pos);
                case 1 -> pos[0] += 8;
                case 5 -> pos[0] += 4;
                case 2 -> {
                    int len = (int) varint(b, pos);
                    if (len < 0 || pos[0] + len > b.length) {
                        throw new TransportException("malformed protobuf");
                    }
                    out.add(new Field(number, java.util.Arrays.copyOfRange(b, pos[0], pos[0] + len)));
                    pos[0] += len;
                }
                default -> throw new TransportException("malformed protobuf (wire type " + type + ")");
            }
        }
        return out;
    }

    private static long varint(byte[] b, int[] pos) throws TransportException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) {
                throw new TransportException("truncated protobuf varint");
            }
            int x = b[pos[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new TransportException("protobuf varint too long");
    }

    /** Encodes a string field (for tests and fakes). */
    public static void writeString(ByteArrayOutputStream out, int number, String s) {
        writeBytes(out, number, s.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeBytes(ByteArrayOutputStream out, int number, byte[] b) {
        writeVarint(out, ((long) number << 3) | 2);
        writeVarint(out, b.length);
        out.writeBytes(b);
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
