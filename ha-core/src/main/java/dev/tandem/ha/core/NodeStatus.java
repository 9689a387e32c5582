package dev.tandem.ha.core;

import dev.tandem.ha.api.HighAvailabilityMode;
import dev.tandem.ha.api.ManagementNodeState;

/** What a node believes, published after every step for readers on other threads. */
public record NodeStatus(ManagementNodeState state, HighAvailabilityMode mode, int priority, long epoch, String masterId,
        String planeId, String failureReason) {}
