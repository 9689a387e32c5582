package dev.tandem.ha.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.servlet.Servlet;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import dev.tandem.ha.api.InvalidValueException;

/** The DS wiring without a framework: a recording BundleContext and configuration values given by hand. */
class HaRestComponentTest {

    private final FakeHighAvailabilityService ha = new FakeHighAvailabilityService();
    private final List<Object> registered = new ArrayList<>();
    private final List<Dictionary<?, ?>> registeredProperties = new ArrayList<>();
    private final AtomicInteger unregistered = new AtomicInteger();

    @Test
    void activationRegistersTheServletAtV1AndDeactivationRemovesIt() {
        HaRestComponent component = new HaRestComponent(context(), config(Map.of()), ha, List.of());

        assertThat(registered).hasSize(2);
        assertThat(registered.get(0)).isInstanceOf(RestServlet.class);
        Dictionary<?, ?> props = registeredProperties.get(0);
        assertThat(props.get("osgi.http.whiteboard.servlet.pattern")).isEqualTo("/v1/*");
        assertThat(props.get("osgi.http.whiteboard.servlet.name")).isEqualTo(HaRestComponent.PID);
        assertThat(registered.get(1)).isInstanceOf(ConsoleServlet.class);
        assertThat(registeredProperties.get(1).get("osgi.http.whiteboard.servlet.pattern")).isEqualTo("/");

        component.deactivate();
        assertThat(unregistered).hasValue(2);
    }

    @Test
    void aBadConfigurationFailsActivationNamingTheKeyAndRegistersNothing() {
        assertThatThrownBy(() -> new HaRestComponent(context(), config(Map.of("writeRoles", new String[] {""})), ha, List.of()))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("writeRoles"));
        assertThat(registered).isEmpty();
    }

    @Test
    void aMalformedCacheDurationFailsActivationNamingTheKey() {
        assertThatThrownBy(() -> new HaRestComponent(context(), config(Map.of("authCacheTtl", "5 parsecs")), ha, List.of()))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("authCacheTtl"));
        assertThatThrownBy(() -> new HaRestComponent(context(), config(Map.of("planeCacheTtl", "1h")), ha, List.of()))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("planeCacheTtl"));
        assertThat(registered).isEmpty();
    }

    @Test
    void theEndpointsPrivateBusNeverBecomesADefaultBus() {
        Bus defaultBefore = BusFactory.getDefaultBus(false);
        Bus threadBefore = BusFactory.getThreadDefaultBus(false);

        RestEndpoint endpoint = new RestEndpoint(ha, RestSettings.DEFAULTS, null, new FakeServerEnvironment(), List.of());
        try {
            // while it runs, its private bus is nobody else's default
            assertThat(BusFactory.getDefaultBus(false)).isSameAs(defaultBefore);
            assertThat(BusFactory.getThreadDefaultBus(false)).isSameAs(threadBefore);
        } finally {
            endpoint.close();
        }
        assertThat(BusFactory.getDefaultBus(false)).isSameAs(defaultBefore);
        assertThat(BusFactory.getThreadDefaultBus(false)).isSameAs(threadBefore);
    }

    /** The component's configuration: the given values, else the annotation's defaults (as SCR does). */
    private static HaRestComponent.Config config(Map<String, Object> values) {
        return (HaRestComponent.Config) Proxy.newProxyInstance(HaRestComponentTest.class.getClassLoader(),
                new Class<?>[] {HaRestComponent.Config.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    private BundleContext context() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unregister")) {
                        unregistered.incrementAndGet();
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] == Servlet.class) {
                        registered.add(args[1]);
                        registeredProperties.add((Dictionary<?, ?>) args[2]);
                        return registration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
