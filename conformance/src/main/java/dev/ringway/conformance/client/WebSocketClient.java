package dev.ringway.conformance.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** RFC 6455 client over HTTP/1.1 on a raw socket: handshake, then one message back per message sent. */
public final class WebSocketClient {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A message to send ({@code text} = opcode 1, else 2). */
    public record Message(byte[] payload, boolean text) {}

    private WebSocketClient() {}

    /** Performs the handshake and the exchanges; returns the payloads received, one per message sent. */
    public static List<byte[]> exchange(InetAddress address, int port, String host, String path, String origin,
                                        List<Message> messages, Duration timeout) throws TransportException {
        Loopback.require(address);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), Http1Client.remaining(deadline));
            s.setSoTimeout(Http1Client.remaining(deadline));
            byte[] keyBytes = new byte[16];
            RANDOM.nextBytes(keyBytes);
            String key = Base64.getEncoder().encodeToString(keyBytes);
            StringBuilder sb = new StringBuilder();
            sb.append("GET ").append(path).append(" HTTP/1.1\r\n");
            sb.append("Host: ").append(host).append("\r\n");
            sb.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
            sb.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
            sb.append("Sec-WebSocket-Version: 13\r\n");
            if (origin != null) {
                sb.append("Origin: ").append(origin).append("\r\n");
            }
            sb.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            String status = Http1Client.readLine(in);
            if (status == null) {
                throw new TransportException("connection closed before the handshake response");
            }
            List<HttpCall.Header> headers = Http1Client.readHeaders(in);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[1].equals("101")) {
                throw new TransportException("websocket handshake refused: " + status);
            }
            String accept = null;
            for (HttpCall.Header h : headers) {
                if (h.name().equalsIgnoreCase("Sec-WebSocket-Accept")) {
                    accept = h.value();
                }
            }
            String expected = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
            if (!expected.equals(accept)) {
                throw new TransportException("bad Sec-WebSocket-Accept '" + accept + "'");
            }
            List<byte[]> received = new ArrayList<>();
            for (Message m : messages) {
                s.setSoTimeout(Http1Client.remaining(deadline));
                writeFrame(out, m.text() ? 1 : 2, m.payload());
                received.add(readMessage(in, out));
            }
            writeFrame(out, 8, new byte[] {3, (byte) 0xe8}); // close 1000
            return received;
        } catch (TransportException e) {
            throw e;
        } catch (Exception e) {
            throw new TransportException("websocket exchange failed", e);
        }
    }

    static void writeFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        int len = payload.length;
        if (len < 126) {
            f.write(0x80 | len);
        } else if (len < 65536) {
            f.write(0x80 | 126);
            f.write(len >>> 8);
            f.write(len & 0xff);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) len >>> (8 * i)) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        f.write(mask);
        for (int i = 0; i < len; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    /** Reads one (possibly fragmented) data message, answering pings. */
    static byte[] readMessage(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        while (true) {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                throw new TransportException("connection closed while waiting for a websocket message");
            }
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0f;
            long len = b1 & 0x7f;
            if (len == 126) {
                len = ((long) in.read() << 8) | in.read();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | in.read();
                }
            }
            byte[] mask = (b1 & 0x80) != 0 ? Http1Client.readN(in, 4) : null;
            byte[] payload = Http1Client.readN(in, (int) len);
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
            }
            switch (opcode) {
                case 8 -> throw new TransportException("server closed the websocket");
                case 9 -> writeFrame(out, 10, payload);
                case 10 -> { }
                default -> {
                    msg.write(payload);
                    if (fin) {
                        return msg.toByteArray();
                    }
                }
            }
        }
    }
}
