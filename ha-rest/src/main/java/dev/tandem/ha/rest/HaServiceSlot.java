package dev.tandem.ha.rest;

import java.util.concurrent.atomic.AtomicReference;

import dev.tandem.ha.api.HaMetrics;
import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.HighAvailabilityService;
import dev.tandem.ha.api.ManagementNodeState;
import dev.tandem.ha.api.PlaneView;

/**
 * The HA service as the REST API sees it: the service bound now, or, while none is, a node without one. The REST
 * API is registered before the HA service exists (as soon as the HTTP service is up) and stays registered when the
 * service goes away and comes back, so every resource reads the service through this slot.
 *
 * <p>Without a service, the node's state is INITIALIZING before a service was first bound and TERMINATED after the
 * last one went away (the node has left the plane: its bundle is stopping or being updated). It is not the acting
 * master, has no node id and no plane id yet; everything else throws {@link HaServiceAbsentException}, which the
 * API answers with 503.
 */
final class HaServiceSlot implements HighAvailabilityService {

    private final AtomicReference<HighAvailabilityService> current = new AtomicReference<>();
    private volatile boolean everBound;

    /** The service is there now (a later one replaces an earlier one). */
    void bind(HighAvailabilityService ha) {
        current.set(ha);
        everBound = true;
    }

    /** The service {@code ha} has gone; a replacement bound before this call stays. */
    void unbind(HighAvailabilityService ha) {
        current.compareAndSet(ha, null);
    }

    /** True while a service is bound. */
    boolean isBound() {
        return current.get() != null;
    }

    /** Throws {@link HaServiceAbsentException} if {@code ha} is a slot with no service bound now. */
    static void requireBound(HighAvailabilityService ha) {
        if (ha instanceof HaServiceSlot slot) {
            slot.service();
        }
    }

    private HighAvailabilityService service() {
        HighAvailabilityService ha = current.get();
        if (ha == null) {
            throw new HaServiceAbsentException(!everBound);
        }
        return ha;
    }

    @Override
    public ManagementNodeState getState() {
        HighAvailabilityService ha = current.get();
        if (ha != null) {
            return ha.getState();
        }
        return everBound ? ManagementNodeState.TERMINATED : ManagementNodeState.INITIALIZING;
    }

    @Override
    public boolean isActingMaster() {
        HighAvailabilityService ha = current.get();
        return ha != null && ha.isActingMaster();
    }

    /** This node's id, or {@code null} while no HA service is bound (a node gets its id when its service starts). */
    @Override
    public String getNodeId() {
        HighAvailabilityService ha = current.get();
        return ha == null ? null : ha.getNodeId();
    }

    /** The plane's id, or {@code null} while no HA service is bound (the node has not joined a plane). */
    @Override
    public String getPlaneId() {
        HighAvailabilityService ha = current.get();
        return ha == null ? null : ha.getPlaneId();
    }

    /** Why the node is FAILED, or {@code null}; a node without HA service is not FAILED. */
    @Override
    public String getFailureReason() {
        HighAvailabilityService ha = current.get();
        return ha == null ? null : ha.getFailureReason();
    }

    @Override
    public HighAvailabilityMode getMode() {
        return service().getMode();
    }

    @Override
    public PlaneView getPlane() {
        return service().getPlane();
    }

    @Override
    public ManagementNodeState changeMode(HighAvailabilityMode mode) {
        return service().changeMode(mode);
    }

    @Override
    public int getPriority() {
        return service().getPriority();
    }

    @Override
    public int setPriority(int priority) {
        return service().setPriority(priority);
    }

    @Override
    public long getEpoch() {
        return service().getEpoch();
    }

    @Override
    public ManagementNodeState stepDown(long holdMillis) {
        return service().stepDown(holdMillis);
    }

    @Override
    public void checkPlaneSoon() {
        service().checkPlaneSoon();
    }

    @Override
    public void clearRecords() {
        service().clearRecords();
    }

    @Override
    public void clearRecord(String nodeId) {
        service().clearRecord(nodeId);
    }

    @Override
    public HaMetrics getMetrics() {
        return service().getMetrics();
    }
}
