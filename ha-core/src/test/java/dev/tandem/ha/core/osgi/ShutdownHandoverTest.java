package dev.tandem.ha.core.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

/** The node leaves the plane when the framework (bundle 0) starts stopping, and on nothing else. */
class ShutdownHandoverTest {

    private static Bundle bundle(long id) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "getBundleId" -> id;
                case "hashCode" -> (int) id;
                case "equals" -> proxy == args[0];
                default -> null;
            });
    }

    @Test
    void leavesWhenTheFrameworkStartsStopping() {
        List<BundleListener> listeners = new ArrayList<>();
        BundleContext context = (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
            new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                if (method.getName().equals("addBundleListener")) {
                    listeners.add((BundleListener) args[0]);
                } else if (method.getName().equals("removeBundleListener")) {
                    listeners.remove(args[0]);
                }
                return null;
            });
        AtomicInteger left = new AtomicInteger();
        ShutdownHandover handover = ShutdownHandover.register(context, left::incrementAndGet);
        assertThat(listeners).containsExactly(handover);

        handover.bundleChanged(new BundleEvent(BundleEvent.STOPPING, bundle(42))); // another bundle stopping
        handover.bundleChanged(new BundleEvent(BundleEvent.STARTED, bundle(0)));
        assertThat(left).hasValue(0);
        handover.bundleChanged(new BundleEvent(BundleEvent.STOPPING, bundle(0))); // Karaf is stopping
        assertThat(left).hasValue(1);

        handover.close();
        assertThat(listeners).isEmpty();
    }
}
