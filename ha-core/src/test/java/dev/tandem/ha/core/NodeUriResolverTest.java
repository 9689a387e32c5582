package dev.tandem.ha.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class NodeUriResolverTest {

    /** A host with loopback, a link-local IPv6, a global IPv6 and two IPv4 interfaces, in that order. */
    private static final NodeUriResolver HOST = resolver("127.0.0.1", "::1", "fe80::1%2", "2001:db8::7", "10.0.0.5",
            "192.168.1.9");

    @Test
    void wildcardListeningUsesTheFirstNonLoopbackIpv4Address() {
        assertThat(HOST.resolve(Map.of())).isEqualTo("http://10.0.0.5:8181");
        assertThat(HOST.resolve(Map.of(NodeUriResolver.LISTENING_ADDRESSES, "0.0.0.0", NodeUriResolver.HTTP_PORT, "8081")))
                .isEqualTo("http://10.0.0.5:8081");
        assertThat(HOST.resolve(Map.of(NodeUriResolver.LISTENING_ADDRESSES, "::"))).isEqualTo("http://10.0.0.5:8181");
    }

    @Test
    void aSpecificListeningAddressIsPublished() {
        assertThat(HOST.resolve(Map.of(NodeUriResolver.LISTENING_ADDRESSES, "127.0.0.2", NodeUriResolver.HTTP_PORT, "9001")))
                .isEqualTo("http://127.0.0.2:9001");
        assertThat(HOST.resolve(Map.of(NodeUriResolver.LISTENING_ADDRESSES, " 192.168.1.9 , 10.0.0.5")))
                .isEqualTo("http://192.168.1.9:8181");
        assertThat(HOST.resolve(Map.of(NodeUriResolver.LISTENING_ADDRESSES, "2001:db8::7")))
                .isEqualTo("http://[2001:db8::7]:8181");
        assertThat(HOST.resolve(Map.of(NodeUriResolver.LISTENING_ADDRESSES, "tandem-1.example.org")))
                .isEqualTo("http://tandem-1.example.org:8181");
    }

    @Test
    void httpsWhenOnlyHttpsIsEnabled() {
        Map<String, Object> httpsOnly = Map.of(NodeUriResolver.HTTP_ENABLED, "false", NodeUriResolver.HTTPS_ENABLED, "true",
                NodeUriResolver.HTTPS_PORT, "8443", NodeUriResolver.HTTP_PORT, "8081",
                NodeUriResolver.LISTENING_ADDRESSES, "127.0.0.3");
        assertThat(HOST.resolve(httpsOnly)).isEqualTo("https://127.0.0.3:8443");
        assertThat(HOST.resolve(Map.of(NodeUriResolver.HTTP_ENABLED, false, NodeUriResolver.HTTPS_ENABLED, true)))
                .as("booleans as ConfigAdmin may hand them, and pax-web's default secure port")
                .isEqualTo("https://10.0.0.5:8443");
        assertThat(HOST.resolve(Map.of(NodeUriResolver.HTTPS_ENABLED, "true", NodeUriResolver.HTTP_PORT, "8081")))
                .as("both enabled: the plain port").isEqualTo("http://10.0.0.5:8081");
    }

    @Test
    void ipv6WhenThereIsNoIpv4AndLinkLocalLast() {
        assertThat(resolver("::1", "fe80::1%1", "2001:db8::7").resolve(Map.of())).isEqualTo("http://[2001:db8:0:0:0:0:0:7]:8181");
        assertThat(resolver("127.0.0.1", "fe80::1%1").resolve(Map.of())).isEqualTo("http://[fe80:0:0:0:0:0:0:1]:8181");
        assertThat(resolver("169.254.3.4", "10.1.1.1").resolve(Map.of())).isEqualTo("http://10.1.1.1:8181");
    }

    @Test
    void onlyLoopbackFallsBackTo127001() {
        assertThat(resolver("127.0.0.1", "::1").resolve(Map.of(NodeUriResolver.HTTP_PORT, "8081")))
                .isEqualTo("http://127.0.0.1:8081");
        assertThat(resolver().resolve(Map.of())).isEqualTo("http://127.0.0.1:8181");
    }

    @Test
    void anExplicitNodeUriWinsInHaSettings() throws Exception {
        Path base = Path.of("/opt/tandem");
        assertThat(HaSettings.from(Map.of(HaSettings.NODE_URI, "https://ha.example.org/"), base, HOST).nodeUri())
                .isEqualTo("https://ha.example.org/");
        assertThat(HaSettings.from(Map.of(HaSettings.HTTP_PORT, "8081"), base, HOST).nodeUri())
                .isEqualTo("http://10.0.0.5:8081");
    }

    @Test
    void loopbackUris() {
        assertThat(NodeUriResolver.isLoopback("http://127.0.0.1:8081")).isTrue();
        assertThat(NodeUriResolver.isLoopback("https://127.0.0.3:8443/")).isTrue();
        assertThat(NodeUriResolver.isLoopback("http://localhost:8081")).isTrue();
        assertThat(NodeUriResolver.isLoopback("http://[::1]:8081")).isTrue();
        assertThat(NodeUriResolver.isLoopback("http://10.0.0.5:8081")).isFalse();
        assertThat(NodeUriResolver.isLoopback("http://ha.example.org:8081")).isFalse();
        assertThat(NodeUriResolver.isLoopback(null)).isFalse();
        assertThat(NodeUriResolver.isLoopback("not a uri")).isFalse();
    }

    private static NodeUriResolver resolver(String... addresses) {
        List<InetAddress> list = new ArrayList<>();
        for (String a : addresses) {
            try {
                list.add(InetAddress.getByName(a));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(a, e);
            }
        }
        return new NodeUriResolver(() -> list);
    }
}
