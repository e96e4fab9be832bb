package dev.lanes.actors;

import akka.persistence.typed.SnapshotSelectionCriteria;
import akka.persistence.typed.javadsl.Recovery;

/**
 * Recovery for entities that never take snapshots (jobs, sessions): without asking the snapshot
 * store, one query fewer before a new entity's first write.
 */
public final class NoSnapshots {
  private NoSnapshots() {}

  public static Recovery recovery() {
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }
}
