package dev.assetlib.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for servers that must be told their port before they start (DynamoDB Local, ElasticMQ,
 * the Step Functions endpoint, the API whose origin goes into the template's environment).
 *
 * <p>Ports come from below the kernel's ephemeral range, and none is handed out twice in one JVM. A
 * port picked by binding port 0 is ephemeral: between being picked and being bound it can be handed
 * to an outgoing connection (or, on Linux, to a client that connects to it and to itself), and a
 * second pick can return it again. Both made a stack fail with "cannot listen on port" in CI.
 */
final class Ports {
    /** Below Linux's default ephemeral range (32768-60999) and above the registered well-known ports. */
    static final int LOWEST = 20_000;
    static final int HIGHEST = 32_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    static synchronized int free() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(LOWEST, HIGHEST + 1);
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free port between " + LOWEST + " and " + HIGHEST));
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
