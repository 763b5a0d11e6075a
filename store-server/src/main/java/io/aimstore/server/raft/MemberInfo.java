package io.aimstore.server.raft;

/**
 * A member of the Raft group as this member sees it.
 *
 * @param name member name (n1, n2, ...)
 * @param raftAddress host:port of its Raft service
 * @param role LEADER, FOLLOWER or LISTENER
 * @param matchIndex the highest log index the leader knows is on this member; -1 unless this view
 *     is the leader's
 * @param lag how many committed entries the member lacks (the leader's commit index minus its match
 *     index); -1 unless this view is the leader's
 * @param lastContactMs milliseconds since the leader last heard from the member; -1 unless this
 *     view is the leader's (0 for the leader itself)
 */
public record MemberInfo(
    String name, String raftAddress, String role, long matchIndex, long lag, long lastContactMs) {

  /** Whether the leader's replication state is known (this view is the leader's). */
  public boolean hasReplication() {
    return matchIndex >= 0;
  }
}
