package dev.ringway.io;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A raw-socket HTTP/1.1 client for tests: exact bytes out, strict parsing of what comes back. */
final class RawHttp implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawHttp(int port) throws IOException {
        this(connect(port));
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    RawHttp(Socket s) throws IOException {
        this.socket = s;
        s.setSoTimeout(10_000);
        this.in = new java.io.BufferedInputStream(s.getInputStream());
        this.out = s.getOutputStream();
    }

    record Response(String version, int status, List<String[]> headers, byte[] body) {
        String header(String name) {
            String v = null;
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    v = v == null ? h[1] : v + "," + h[1];
                }
            }
            return v;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The echo backend's lines as a map ({@code server}, {@code uri}, {@code h:name}...). */
        Map<String, String> echo() {
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : text().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return m;
        }
    }

    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    Response get(String path, String host) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        return read(false);
    }

    /** Reads one response; {@code head} = it answers a HEAD request (no body). */
    Response read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        List<String[]> headers = new ArrayList<>();
        String l;
        while (!(l = line()).isEmpty()) {
            int c = l.indexOf(':');
            headers.add(new String[]{l.substring(0, c).trim(), l.substring(c + 1).trim()});
        }
        Response r = new Response(parts[0], status, headers, new byte[0]);
        if (head || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return r;
        }
        String te = r.header("transfer-encoding");
        String cl = r.header("content-length");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                String sz = line();
                int n = Integer.parseInt(sz.split(";")[0].trim(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    break;
                }
                body.write(in.readNBytes(n));
                line();
            }
        } else if (cl != null) {
            int n = Integer.parseInt(cl);
            byte[] b = in.readNBytes(n);
            if (b.length != n) {
                throw new EOFException("body truncated: " + b.length + " of " + n);
            }
            body.write(b);
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(parts[0], status, headers, body.toByteArray());
    }

    String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** True when the server closed the connection (EOF within the timeout). */
    boolean closedByPeer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true; // reset counts as closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
