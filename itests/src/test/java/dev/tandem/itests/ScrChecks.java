package dev.tandem.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** Declarative Services checks, through ServiceComponentRuntime. */
final class ScrChecks {

    private ScrChecks() {
    }

    /** Waits until every enabled component of the bundle has only ACTIVE configurations. */
    static void awaitComponentsActive(BundleContext context, Bundle bundle, Duration timeout) {
        await(bundle.getSymbolicName() + " components ACTIVE").atMost(timeout).pollInterval(Duration.ofMillis(200))
            .untilAsserted(() -> {
                ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
                assertTrue("no ServiceComponentRuntime", ref != null);
                ServiceComponentRuntime scr = context.getService(ref);
                try {
                    var descriptions = scr.getComponentDescriptionDTOs(bundle);
                    assertFalse(bundle.getSymbolicName() + " declares no DS component", descriptions.isEmpty());
                    List<String> notActive = new ArrayList<>();
                    for (ComponentDescriptionDTO d : descriptions) {
                        var configs = scr.getComponentConfigurationDTOs(d);
                        boolean active = scr.isComponentEnabled(d) && !configs.isEmpty()
                            && configs.stream().allMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE);
                        if (!active) {
                            notActive.add(d.name + " " + configs.stream().map(ScrChecks::describe).collect(Collectors.toList()));
                        }
                    }
                    assertTrue(bundle.getSymbolicName() + ": components not ACTIVE: " + notActive, notActive.isEmpty());
                } finally {
                    context.ungetService(ref);
                }
            });
    }

    private static String describe(ComponentConfigurationDTO c) {
        switch (c.state) {
            case ComponentConfigurationDTO.ACTIVE: return "ACTIVE";
            case ComponentConfigurationDTO.SATISFIED: return "SATISFIED";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE: return "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION: return "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.FAILED_ACTIVATION: return "FAILED_ACTIVATION: " + c.failure;
            default: return "state " + c.state;
        }
    }
}
