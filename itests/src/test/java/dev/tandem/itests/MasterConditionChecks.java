package dev.tandem.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;

/**
 * Checks of the master condition and of the example counter component, by name only: the test probe does not need
 * the package org.osgi.service.condition (so it sees the services of every class space).
 */
final class MasterConditionChecks {
    static final String CONDITION = "org.osgi.service.condition.Condition";
    static final String MASTER_FILTER = "(osgi.condition.id=tandem.master)";
    static final String COUNTER_BUNDLE = "dev.tandem.ha.examples.counter";
    static final String COUNTER_COMPONENT = "dev.tandem.ha.examples.counter.CounterComponent";
    static final String COUNTER_TYPE = "dev.tandem.examples.Counter";

    private MasterConditionChecks() {
    }

    /** The condition osgi.condition.id=tandem.master, or null while it is not registered. */
    static ServiceReference<?> masterCondition(BundleContext context) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = context.getAllServiceReferences(CONDITION, MASTER_FILTER);
        return refs == null || refs.length == 0 ? null : refs[0];
    }

    /** The bundle whose export of org.osgi.service.condition {@code bundle} is wired to. */
    static Bundle conditionPackageProvider(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        List<BundleWire> wires = wiring.getRequiredWires("osgi.wiring.package");
        for (BundleWire w : wires) {
            if ("org.osgi.service.condition".equals(w.getCapability().getAttributes().get("osgi.wiring.package"))) {
                return w.getProvider().getBundle();
            }
        }
        throw new AssertionError(bundle.getSymbolicName() + " is not wired to org.osgi.service.condition: " + wires);
    }

    /** The counter component's configuration (one), or null if it has none. */
    static ComponentConfigurationDTO counter(BundleContext context, Bundle counterBundle) {
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = context.getService(ref);
        try {
            ComponentDescriptionDTO d = scr.getComponentDescriptionDTO(counterBundle, COUNTER_COMPONENT);
            assertNotNull(COUNTER_COMPONENT + " in " + counterBundle.getSymbolicName(), d);
            assertEquals(MASTER_FILTER, d.properties.get("osgi.ds.satisfying.condition.target"));
            var configs = scr.getComponentConfigurationDTOs(d);
            return configs.isEmpty() ? null : configs.iterator().next();
        } finally {
            context.ungetService(ref);
        }
    }

    /**
     * The counter is ACTIVE, and SCR bound its satisfying condition to the master condition that {@code haCore}
     * registered (not to the framework's TRUE condition): SCR honours osgi.ds.satisfying.condition.target.
     */
    static void assertCounterRunsOnTheMasterCondition(BundleContext context, Bundle counterBundle, Bundle haCore) {
        ComponentConfigurationDTO c = counter(context, counterBundle);
        assertNotNull("counter configuration", c);
        assertEquals("counter state (" + c.failure + ")", ComponentConfigurationDTO.ACTIVE, c.state);
        SatisfiedReferenceDTO condition = Arrays.stream(c.satisfiedReferences)
            .filter(r -> "osgi.ds.satisfying.condition".equals(r.name)).findFirst()
            .orElseThrow(() -> new AssertionError("no satisfying condition reference: " + Arrays.stream(c.satisfiedReferences)
                .map(r -> r.name).collect(Collectors.toList())));
        assertEquals(1, condition.boundServices.length);
        assertEquals("the bound condition is registered by ha-core", haCore.getBundleId(), condition.boundServices[0].bundle);
        assertTrue(String.valueOf(condition.boundServices[0].properties),
            "tandem.master".equals(condition.boundServices[0].properties.get("osgi.condition.id")));
    }

    /** Changes the HA mode of this node (as ha:mode does). */
    static void changeMode(BundleContext context, String mode) {
        ServiceReference<dev.tandem.ha.api.HighAvailabilityService> ref =
            context.getServiceReference(dev.tandem.ha.api.HighAvailabilityService.class);
        assertNotNull("HighAvailabilityService", ref);
        try {
            context.getService(ref).changeMode(dev.tandem.ha.api.HighAvailabilityMode.valueOf(mode));
        } finally {
            context.ungetService(ref);
        }
    }

    /** The counter is not running: its condition is unsatisfied. */
    static void assertCounterNotRunning(BundleContext context, Bundle counterBundle) {
        ComponentConfigurationDTO c = counter(context, counterBundle);
        assertTrue("counter must not be ACTIVE", c == null || c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
    }
}
