package dev.ringway.k8s.sandbox;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FrontDoorTest {
    /** Echoes one line per connection, upper-cased. */
    static ServerSocket upperCaseServer() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!s.isClosed()) {
                try {
                    Socket c = s.accept();
                    Thread.ofVirtual().start(() -> {
                        try (c) {
                            String line = new String(c.getInputStream().readNBytes(6), StandardCharsets.ISO_8859_1);
                            c.getOutputStream().write(line.toUpperCase().getBytes(StandardCharsets.ISO_8859_1));
                        } catch (IOException ignored) {
                            // the test's client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return s;
    }

    static String ask(int port, String line) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(line.getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void closedDoorFreesItsPortAtOnceAndReopensOnIt() throws Exception {
        try (ServerSocket target = upperCaseServer()) {
            InetSocketAddress targetAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getLocalPort());
            FrontDoor door = FrontDoor.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), targetAddress, l -> false);
            int port = door.port();
            for (int i = 0; i < 50; i++) {
                assertThat(ask(port, "hello\n")).isEqualTo("HELLO\n");
                door.close();
                // no retry: the port must be free the moment close() returns
                door = FrontDoor.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), targetAddress, l -> false);
            }
            door.close();
        }
    }

    @Test
    void aBlackHoledConnectionIsHeldUnansweredUntilTheDoorCloses() throws Exception {
        try (ServerSocket target = upperCaseServer()) {
            InetSocketAddress targetAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getLocalPort());
            FrontDoor door = FrontDoor.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), targetAddress,
                    line -> line.startsWith("stall"));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), door.port())) {
                s.getOutputStream().write("stall\n".getBytes(StandardCharsets.ISO_8859_1));
                s.setSoTimeout(500);
                assertThat(ask(door.port(), "other\n")).isEqualTo("OTHER\n"); // other connections are relayed
                try {
                    s.getInputStream().read();
                    throw new AssertionError("the black-holed connection was answered");
                } catch (java.net.SocketTimeoutException expected) {
                    // nothing comes back
                }
                door.close();
                s.setSoTimeout(5000);
                assertThat(s.getInputStream().read()).isEqualTo(-1); // cut when the door closes
            }
        }
    }
}
