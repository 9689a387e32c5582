package dev.tandem.ha.core;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The URI a node publishes when {@code tandem.ha.nodeUri} is not set: one that other machines can reach.
 * <ul>
 * <li>scheme and port: those of the HTTP service (pax-web, PID {@code org.ops4j.pax.web}): https and
 * {@code org.osgi.service.http.port.secure} when only HTTPS is enabled, else http and
 * {@code org.osgi.service.http.port};</li>
 * <li>host: the first of the HTTP service's {@code org.ops4j.pax.web.listening.addresses} when it is a
 * specific address, else (a wildcard, or not set) this host's first non-loopback address (IPv4 before IPv6,
 * link-local addresses last), else {@code 127.0.0.1}.</li>
 * </ul>
 * The host's addresses come from an injected supplier, so that tests decide which interfaces exist.
 */
public final class NodeUriResolver {

    public static final String HTTP_ENABLED = "org.osgi.service.http.enabled";
    public static final String HTTP_PORT = "org.osgi.service.http.port";
    public static final String HTTPS_ENABLED = "org.osgi.service.http.secure.enabled";
    public static final String HTTPS_PORT = "org.osgi.service.http.port.secure";
    public static final String LISTENING_ADDRESSES = "org.ops4j.pax.web.listening.addresses";

    /** pax-web's defaults: an HTTP service on 8181, HTTPS (when enabled) on 8443, on every address. */
    static final String DEFAULT_HTTP_PORT = "8181";
    static final String DEFAULT_HTTPS_PORT = "8443";

    /** Resolves against this host's network interfaces (those that are up), in interface index order. */
    public static final NodeUriResolver SYSTEM = new NodeUriResolver(NodeUriResolver::interfaceAddresses);

    private final Supplier<List<InetAddress>> hostAddresses;

    /** @param hostAddresses this host's addresses, in interface order (loopback ones may be included) */
    public NodeUriResolver(Supplier<List<InetAddress>> hostAddresses) {
        this.hostAddresses = Objects.requireNonNull(hostAddresses);
    }

    /** The URI for the merged configuration {@code props} (pax-web's keys; absent keys take pax-web's defaults). */
    public String resolve(Map<String, ?> props) {
        boolean httpEnabled = bool(props, HTTP_ENABLED, true);
        boolean httpsEnabled = bool(props, HTTPS_ENABLED, false);
        boolean https = httpsEnabled && !httpEnabled;
        String port = https ? str(props, HTTPS_PORT, DEFAULT_HTTPS_PORT) : str(props, HTTP_PORT, DEFAULT_HTTP_PORT);
        String host = listeningAddress(props).orElseGet(this::firstReachableAddress);
        return (https ? "https" : "http") + "://" + host + ":" + port;
    }

    /** Whether {@code uri}'s host is a loopback address (127.0.0.0/8, ::1 or "localhost"). */
    public static boolean isLoopback(String uri) {
        if (uri == null) {
            return false;
        }
        try {
            String host = java.net.URI.create(uri).getHost();
            if (host == null) {
                return false;
            }
            if (host.equalsIgnoreCase("localhost")) {
                return true;
            }
            String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            // only literal addresses: a host name is not looked up (no DNS request from a check)
            if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
                return false;
            }
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            return false;
        }
    }

    private static Optional<String> listeningAddress(Map<String, ?> props) {
        String list = str(props, LISTENING_ADDRESSES, "");
        for (String a : list.split(",")) {
            String address = a.trim();
            if (!address.isEmpty()) {
                if (address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")
                        || address.equals("0:0:0:0:0:0:0:0")) {
                    return Optional.empty(); // a wildcard: every address of the host
                }
                return Optional.of(address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address);
            }
        }
        return Optional.empty();
    }

    private String firstReachableAddress() {
        Optional<InetAddress> best = hostAddresses.get().stream()
                .filter(a -> !a.isLoopbackAddress() && !a.isAnyLocalAddress())
                .min(Comparator.comparingInt(NodeUriResolver::rank));
        if (best.isEmpty()) {
            return "127.0.0.1";
        }
        InetAddress a = best.get();
        if (a instanceof Inet6Address) {
            String text = a.getHostAddress();
            int zone = text.indexOf('%');
            return "[" + (zone < 0 ? text : text.substring(0, zone)) + "]";
        }
        return a.getHostAddress();
    }

    /** Lower is better; the stream's min keeps the first of equals, i.e. interface order. */
    private static int rank(InetAddress a) {
        int family = a instanceof Inet4Address ? 0 : 2;
        return family + (a.isLinkLocalAddress() ? 4 : 0);
    }

    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            List<NetworkInterface> interfaces = NetworkInterface.networkInterfaces()
                    .sorted(Comparator.comparingInt(NetworkInterface::getIndex)).toList();
            for (NetworkInterface nif : interfaces) {
                if (nif.isUp()) {
                    nif.inetAddresses().forEach(out::add);
                }
            }
        } catch (SocketException e) {
            // no interfaces to read: the caller falls back to 127.0.0.1
        }
        return out;
    }

    private static boolean bool(Map<String, ?> props, String key, boolean dflt) {
        String v = str(props, key, "");
        return v.isEmpty() ? dflt : Boolean.parseBoolean(v);
    }

    private static String str(Map<String, ?> props, String key, String dflt) {
        Object v = props.get(key);
        if (v instanceof String[] arr) {
            v = arr.length == 0 ? null : String.join(",", arr);
        }
        String s = v == null ? "" : String.valueOf(v).trim();
        return s.isEmpty() ? dflt : s;
    }
}
