package dev.tandem.ha.core.osgi;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Hands mastership over at the very start of a shutdown: when the framework (bundle 0) starts stopping, before Karaf
 * stops any other bundle (the managed applications, the shell, the REST API, ...), the node leaves the plane, so a
 * standby takes over while this JVM is still busy stopping everything else.
 */
final class ShutdownHandover implements SynchronousBundleListener, AutoCloseable {
    private final BundleContext context;
    private final Runnable leave;

    private ShutdownHandover(BundleContext context, Runnable leave) {
        this.context = context;
        this.leave = leave;
    }

    /** Calls {@code leave} once the framework starts stopping. */
    static ShutdownHandover register(BundleContext context, Runnable leave) {
        ShutdownHandover h = new ShutdownHandover(context, leave);
        context.addBundleListener(h);
        return h;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
            leave.run();
        }
    }

    @Override
    public void close() {
        try {
            context.removeBundleListener(this);
        } catch (IllegalStateException stopped) {
            // the bundle context is no longer valid: nothing to remove
        }
    }
}
