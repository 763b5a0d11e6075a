package io.aimstore.chaos.nemesis;

/** The faults the {@link Nemesis} injects, one at a time, each healed before the next. */
public enum FaultKind {
  /** {@code kill -9} of a random member, restarted after a while. */
  KILL_MEMBER("kill-member"),
  /** {@code kill -9} of the leader, restarted after a while. */
  KILL_LEADER("kill-leader"),
  /** {@code kill -9} of a minority (one of three, two of five), restarted after a while. */
  KILL_MINORITY("kill-minority"),
  /** SIGSTOP of the leader for longer than the election timeout, then SIGCONT. */
  PAUSE_LEADER("pause-leader"),
  /** SIGSTOP of a minority for longer than the election timeout, then SIGCONT. */
  PAUSE_MINORITY("pause-minority"),
  /** The leader cut off from every other member (its Raft links blackholed). */
  PARTITION_LEADER("partition-leader"),
  /** A random member cut off from the others. */
  PARTITION_MEMBER("partition-member"),
  /** A member that does not lead cut off from the others, while the majority keeps writing. */
  ISOLATE_FOLLOWER("isolate-follower"),
  /** The members split into a random majority and minority. */
  PARTITION_HALVES("partition-halves"),
  /** A random member cannot dial out, but the others still reach it. */
  PARTITION_ONE_WAY("partition-one-way"),
  /** Every link to and from a random member refuses connections and resets the open ones. */
  DROP_MEMBER("drop-member"),
  /** Random links delay every byte by the same 20-300 ms. */
  DELAY_LINKS("delay-links"),
  /** Every open Raft connection is reset. */
  RESET_LINKS("reset-links"),
  /** A member that does not lead is killed and its data deleted; it rejoins from a snapshot. */
  WIPE_MEMBER("wipe-member");

  private final String label;

  FaultKind(String label) {
    this.label = label;
  }

  /** The name in reports and progress lines, e.g. {@code kill-leader}. */
  public String label() {
    return label;
  }

  /** The kind labelled {@code label}. */
  public static FaultKind ofLabel(String label) {
    for (FaultKind k : values()) {
      if (k.label.equals(label) || k.name().equalsIgnoreCase(label)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown fault '" + label + "'");
  }
}
