package io.aimstore.server.api;

import io.aimstore.api.v1.ClusterGrpc;
import io.aimstore.api.v1.StatusRequest;
import io.aimstore.api.v1.StatusResponse;
import io.aimstore.server.raft.ClusterVersion;
import io.aimstore.server.raft.RaftNode;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the leader learns what each member applies: once a tick, it asks every other member of the
 * Raft configuration for its status ({@code max_format_version}) and tells the {@link
 * ClusterVersion}; a member that does not answer within the call timeout counts as the first format
 * version until it answers again. Other members ask nobody and forget what they heard as leader.
 */
public final class ClusterVersionMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterVersionMonitor.class);

  private final RaftNode raft;
  private final ClusterView cluster;
  private final PeerChannels peers;
  private final long callTimeoutMs;
  private final AtomicBoolean asking = new AtomicBoolean();
  private volatile int lastVersion;

  public ClusterVersionMonitor(
      RaftNode raft, ClusterView cluster, PeerChannels peers, Duration callTimeout) {
    this.raft = raft;
    this.cluster = cluster;
    this.peers = peers;
    this.callTimeoutMs = callTimeout.toMillis();
  }

  /** One round of questions, on the leader; returns at once (answers arrive on gRPC threads). */
  public void tick() throws IOException {
    ClusterVersion versions = raft.stateMachine().clusterVersion();
    if (!raft.isLeader()) {
      versions.forget();
      lastVersion = 0;
      return;
    }
    if (!asking.compareAndSet(false, true)) {
      return; // the previous round is still waiting for an answer
    }
    Set<String> members = raft.stateMachine().configurationMembers();
    members.remove(cluster.selfName());
    AtomicInteger pending = new AtomicInteger(members.size() + 1);
    Runnable done =
        () -> {
          if (pending.decrementAndGet() == 0) {
            asking.set(false);
            logChange(versions);
          }
        };
    for (String m : members) {
      if (cluster.member(m).isEmpty()) {
        versions.lost(m); // no client address known yet: cannot ask
        done.run();
        continue;
      }
      ClusterGrpc.newStub(peers.to(m))
          .withDeadlineAfter(callTimeoutMs, TimeUnit.MILLISECONDS)
          .status(
              StatusRequest.getDefaultInstance(),
              new StreamObserver<>() {
                @Override
                public void onNext(StatusResponse s) {
                  versions.heard(m, s.getMaxFormatVersion());
                }

                @Override
                public void onError(Throwable t) {
                  versions.lost(m);
                  done.run();
                }

                @Override
                public void onCompleted() {
                  done.run();
                }
              });
    }
    done.run();
  }

  private void logChange(ClusterVersion versions) {
    try {
      Set<String> all = raft.stateMachine().configurationMembers();
      int v = versions.of(all);
      if (v != lastVersion) {
        StringBuilder each = new StringBuilder();
        for (String m : all) {
          each.append(each.length() == 0 ? "" : ",")
              .append(m)
              .append('=')
              .append(versions.maxOf(m));
        }
        LOG.info("event=cluster_version version={} members={}", v, each);
        lastVersion = v;
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("event=cluster_version_unknown error={}", e.toString());
    }
  }
}
