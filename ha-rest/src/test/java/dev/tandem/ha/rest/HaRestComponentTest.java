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
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import dev.tandem.ha.api.InvalidValueException;

/** The DS wiring without a framework: a recording BundleContext and configuration values given by hand. */
class HaRestComponentTest {

    private final FakeHighAvailabilityService ha = new FakeHighAvailabilityService();
    private final List<Object> registered = new ArrayList<>();
    private final List<Dictionary<?, ?>> registeredProperties = new ArrayList<>();
    private final AtomicInteger unregistered = new AtomicInteger();
    private final List<Object> gates = new ArrayList<>();

    @Test
    void activationRegistersTheServletAtV1WithoutWaitingForTheHaServiceAndDeactivationRemovesIt() {
        HaRestComponent component = new HaRestComponent(Runnable::run, null);
        component.activate(context(), config(Map.of()));

        assertThat(registered).hasSize(2);
        assertThat(registered.get(0)).isInstanceOf(SwappingServlet.class);
        Dictionary<?, ?> props = registeredProperties.get(0);
        assertThat(props.get("osgi.http.whiteboard.servlet.pattern")).isEqualTo("/v1/*");
        assertThat(props.get("osgi.http.whiteboard.servlet.name")).isEqualTo(HaRestComponent.PID);
        assertThat(registered.get(1)).isInstanceOf(ConsoleServlet.class);
        assertThat(registeredProperties.get(1).get("osgi.http.whiteboard.servlet.pattern")).isEqualTo("/");
        assertThat(gates).singleElement().isInstanceOf(StartingGate.class);
        RestEndpoint endpoint = component.currentEndpoint();

        component.deactivate();
        assertThat(unregistered).as("servlet, console and gate").hasValue(3);
        assertThat(endpoint.isClosed()).isTrue();
    }

    @Test
    void aBadConfigurationFailsActivationNamingTheKeyAndRegistersNothing() {
        HaRestComponent component = new HaRestComponent(Runnable::run, null);
        assertThatThrownBy(() -> component.activate(context(), config(Map.of("writeRoles", new String[] {""}))))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("writeRoles"));
        assertThat(registered).isEmpty();
        assertThat(gates).isEmpty();
    }

    @Test
    void aMalformedCacheDurationFailsActivationNamingTheKey() {
        HaRestComponent component = new HaRestComponent(Runnable::run, null);
        assertThatThrownBy(() -> component.activate(context(), config(Map.of("authCacheTtl", "5 parsecs"))))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("authCacheTtl"));
        assertThatThrownBy(() -> component.activate(context(), config(Map.of("planeCacheTtl", "1h"))))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("planeCacheTtl"));
        assertThat(registered).isEmpty();
    }

    @Test
    void resourcesAddedOrRemovedLaterAreSwappedInBehindTheSameRegistration() {
        HaRestComponent component = new HaRestComponent(Runnable::run, null);
        Object early = new Object();
        component.bindResource(early, Map.of(Constants.SERVICE_ID, 3L));
        component.activate(context(), config(Map.of()));
        RestEndpoint first = component.currentEndpoint();

        Object late = new Object();
        component.bindResource(late, Map.of(Constants.SERVICE_ID, 9L));
        RestEndpoint second = component.currentEndpoint();
        assertThat(second).isNotSameAs(first);
        assertThat(first.isClosed()).as("the replaced endpoint, with no request in it").isTrue();

        component.unbindResource(late, Map.of(Constants.SERVICE_ID, 9L));
        assertThat(component.currentEndpoint()).isNotSameAs(second);
        assertThat(second.isClosed()).isTrue();

        assertThat(registered).as("registered once, never again").hasSize(2);
        assertThat(unregistered).hasValue(0);
        component.deactivate();
    }

    @Test
    void aConfigurationChangeSwapsTheEndpointAndABadOneIsRefusedKeepingThePrevious() {
        HaRestComponent component = new HaRestComponent(Runnable::run, null);
        component.activate(context(), config(Map.of()));
        RestEndpoint first = component.currentEndpoint();

        component.modified(config(Map.of("planeCacheTtl", "1h")));
        assertThat(component.currentEndpoint()).as("a bad value changes nothing").isSameAs(first);
        component.modified(config(Map.of()));
        assertThat(component.currentEndpoint()).as("the same settings again: nothing to rebuild").isSameAs(first);

        component.modified(config(Map.of("redirectNonMasterWrites", true)));
        assertThat(component.currentEndpoint()).isNotSameAs(first);
        assertThat(first.isClosed()).isTrue();
        assertThat(registered).hasSize(2);
        assertThat(unregistered).hasValue(0);
        component.deactivate();
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

    private org.osgi.framework.Bundle systemBundle() {
        return (org.osgi.framework.Bundle) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {org.osgi.framework.Bundle.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getState")) {
                        return org.osgi.framework.Bundle.ACTIVE;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
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
                    if (method.getName().equals("getBundle") && args != null && args.length == 1) {
                        return systemBundle(); // running, not stopping
                    }
                    if (method.getName().equals("registerService") && args[0] == Servlet.class) {
                        registered.add(args[1]);
                        registeredProperties.add((Dictionary<?, ?>) args[2]);
                        return registration;
                    }
                    if (method.getName().equals("registerService") && HaRestComponent.JETTY_CUSTOMIZER.equals(args[0])) {
                        gates.add(args[1]);
                        return registration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
