package dev.tandem.ha.core;

import dev.tandem.ha.api.ManagementNodeState;

/** One change of a node's state, for the metrics endpoint and the log. */
public record StateTransition(long timestamp, ManagementNodeState from, ManagementNodeState to, long epoch,
        String reason) {}
