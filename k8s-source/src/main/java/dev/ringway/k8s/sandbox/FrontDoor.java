package dev.ringway.k8s.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The sandbox's listening socket: a plain TCP relay in front of the mock server, which listens on a
 * private loopback port for the sandbox's whole life. Taking the API server "off the network" closes
 * this socket and cuts every relayed connection; bringing it back listens again on the same port.
 * The mock server is never restarted: fabric8's mock cannot always be (its Vert.x loop can stall for
 * 30 s when a watch closes with a write pending, and a server restarted next to a stalled one does not
 * always get or report its port).
 *
 * <p>One virtual thread per direction of each connection; for tests and demos, not for traffic.
 */
final class FrontDoor implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Predicate<String> blackHole;
    private volatile boolean closed;
    private Thread acceptor;

    private FrontDoor(ServerSocket server, InetSocketAddress target, Predicate<String> blackHole) {
        this.server = server;
        this.target = target;
        this.blackHole = blackHole;
    }

    /**
     * Listens on {@code listen} (port 0: any free port) and relays every connection to {@code target},
     * except a connection whose first request line {@code blackHole} matches: that one is held open and
     * never answered (a stalled server, for tests).
     */
    static FrontDoor open(InetSocketAddress listen, InetSocketAddress target, Predicate<String> blackHole)
            throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(listen, 512);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        FrontDoor d = new FrontDoor(s, target, blackHole);
        d.acceptor = Thread.ofVirtual().name("sandbox-front-door").start(d::acceptLoop);
        return d;
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().name("sandbox-relay").start(() -> relay(client));
        }
    }

    private void relay(Socket client) {
        Socket upstream = new Socket();
        open.add(client);
        open.add(upstream);
        try {
            if (closed) {
                return;
            }
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            byte[] first = firstLine(client.getInputStream());
            if (first.length > 0 && blackHole.test(new String(first, StandardCharsets.ISO_8859_1))) {
                client.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the client or door closes
                return;
            }
            upstream.connect(target, 5000);
            upstream.getOutputStream().write(first);
            Thread back = Thread.ofVirtual().name("sandbox-relay").start(() -> pump(upstream, client));
            pump(client, upstream);
            back.join();
        } catch (IOException | InterruptedException e) {
            // the mock went away or the door closed: the client sees the connection end
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
            open.remove(client);
            open.remove(upstream);
        }
    }

    /** Reads up to and including the first line feed (or 8 KiB, or the end of the stream). */
    private static byte[] firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        for (int b; line.size() < 8192 && (b = in.read()) >= 0; ) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toByteArray();
    }

    /** Copies until end of stream, then half-closes {@code to}; on an error closes both. */
    private static void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /**
     * Stops listening and cuts every relayed connection. Returns once the port is free: a socket closed
     * while a thread is blocked in {@code accept} is only released when that thread has left it.
     */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
