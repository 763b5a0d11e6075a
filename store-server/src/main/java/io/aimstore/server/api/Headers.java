package io.aimstore.server.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
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

  /**
   * {@code response} with the header the core left in it (its field {@code header}) completed.
   *
   * @throws IllegalArgumentException if {@code response} has no field {@code header}
   */
  public <M extends Message> M completeHeaderOf(M response) {
    FieldDescriptor field = headerField(response);
    return withHeader(response, field, complete((ResponseHeader) response.getField(field)));
  }

  /**
   * {@code response} with its field {@code header} set to a header at {@code revision}.
   *
   * @throws IllegalArgumentException if {@code response} has no field {@code header}
   */
  public <M extends Message> M stampAt(long revision, M response) {
    return withHeader(response, headerField(response), at(revision));
  }

  private static FieldDescriptor headerField(Message response) {
    FieldDescriptor field = response.getDescriptorForType().findFieldByName("header");
    if (field == null || field.getMessageType() != ResponseHeader.getDescriptor()) {
      throw new IllegalArgumentException(
          response.getDescriptorForType().getFullName() + " carries no response header");
    }
    return field;
  }

  @SuppressWarnings("unchecked") // toBuilder().build() keeps the message's type
  private static <M extends Message> M withHeader(
      M response, FieldDescriptor field, ResponseHeader header) {
    return (M) response.toBuilder().setField(field, header).build();
  }

  private long safeTerm() {
    try {
      return raft.term();
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
