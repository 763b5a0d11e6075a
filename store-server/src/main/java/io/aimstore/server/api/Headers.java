package io.aimstore.server.api;

import io.aimstore.api.v1.ResponseHeader;
import io.aimstore.server.raft.RaftNode;

/** Fills the header every response carries. */
public final class Headers {
  private final ClusterView cluster;
  private final RaftNode raft;

  public Headers(ClusterView cluster, RaftNode raft) {
    this.cluster = cluster;
    this.raft = raft;
  }

  /** A header at {@code revision}, stamped with this member's identity and term. */
  public ResponseHeader at(long revision) {
    return ResponseHeader.newBuilder()
        .setClusterId(cluster.clusterId())
        .setMemberId(cluster.selfId())
        .setMemberName(cluster.selfName())
        .setRevision(revision)
        .setRaftTerm(safeTerm())
        .build();
  }

  /** The id responses give member {@code name}. */
  public long memberId(String name) {
    return cluster.memberId(name);
  }

  /** The header the core left in a response (its revision), completed. */
  public ResponseHeader complete(ResponseHeader partial) {
    return at(partial.getRevision());
  }

  private long safeTerm() {
    try {
      return raft.term();
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
