package io.aimstore.server.api;

import io.aimstore.api.WireHeaders;
import io.aimstore.server.raft.RaftNode;
import io.aimstore.server.raft.StoreUnavailableException;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;

/**
 * Routes leader-only calls (keep-alives, lease and lock views that need the leader's memory): on
 * the leader they run here, elsewhere they are forwarded to the leader's client API.
 */
public final class LeaderRouter {
  private final RaftNode raft;
  private final PeerChannels peers;

  public LeaderRouter(RaftNode raft, PeerChannels peers) {
    this.raft = raft;
    this.peers = peers;
  }

  public boolean isLeader() {
    return raft.isLeader();
  }

  /** The leader's name, as far as this member knows. */
  public String leaderName() {
    return raft.leader().orElseThrow(LeaderRouter::noLeader);
  }

  /**
   * A channel to the leader's client API (never this member's own: then there is no leader yet)
   * that relays the current call's identity ({@link WireHeaders#ON_BEHALF_OF}). Call it in the
   * handler, where the call's identity is known.
   */
  public Channel leader() {
    String name = leaderName();
    if (name.equals(raft.selfName())) {
      throw noLeader(); // Ratis says we lead but we are not ready (or just stepped down)
    }
    Metadata onBehalfOf = new Metadata();
    onBehalfOf.put(WireHeaders.ON_BEHALF_OF, Caller.identity());
    return ClientInterceptors.intercept(
        peers.to(name), MetadataUtils.newAttachHeadersInterceptor(onBehalfOf));
  }

  /** Runs {@code call} against the leader's channel, failing {@code obs} if there is none. */
  public <T> void forward(StreamObserver<T> obs, Consumer<Channel> call) {
    try {
      call.accept(leader());
    } catch (RuntimeException e) {
      obs.onError(GrpcErrors.toStatus(e));
    }
  }

  /**
   * Unless this member leads, runs {@code call} against the leader's channel (failing {@code obs}
   * if there is none) and says true; false: serve the call here.
   */
  public <T> boolean forwardedUnlessLeader(StreamObserver<T> obs, Consumer<Channel> call) {
    if (isLeader()) {
      return false;
    }
    forward(obs, call);
    return true;
  }

  /** The failure of a leader-only call while no leader is known: UNAVAILABLE, safe to retry. */
  static StoreUnavailableException noLeader() {
    return new StoreUnavailableException("no leader known right now (election in progress?)");
  }
}
