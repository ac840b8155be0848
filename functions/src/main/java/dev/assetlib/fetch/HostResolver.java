package dev.assetlib.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into the addresses it stands for, once per connection: the fetcher checks
 * every one and connects to a checked one, so a name cannot resolve differently between the check
 * and the connection. Tests use their own to say "this host resolves to 10.0.0.5".
 */
@FunctionalInterface
public interface HostResolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The system's resolver (the JVM's cache included). */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
}
