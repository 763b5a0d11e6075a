package io.aimstore.server.raft;

import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.MemberChange;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's automatic promotion of listeners added with {@code aimctl member add}: a listener
 * whose record asks for it ({@code autoPromote}) becomes a voter once its match index is within
 * {@link RaftMembership#PROMOTE_LAG} entries of the leader's commit index and it answered the
 * leader within {@link #MAX_SILENCE_MS}. Each promotion is audited (operator: the store itself)
 * before the configuration changes. One promotion at a time; called from a timer.
 */
public final class ListenerPromoter {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerPromoter.class);

  /** A listener the leader has not heard from for longer is not promoted. */
  static final long MAX_SILENCE_MS = 2_000;

  private final RaftNode raft;
  private final Predicate<String> autoPromote;
  private final Function<Command.Builder, CompletableFuture<CommandResult>> proposer;
  private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);

  /**
   * @param autoPromote whether the member of this name is to be promoted by the leader
   * @param proposer proposes the store's own commands (the audit record)
   */
  public ListenerPromoter(
      RaftNode raft,
      Predicate<String> autoPromote,
      Function<Command.Builder, CompletableFuture<CommandResult>> proposer) {
    this.raft = raft;
    this.autoPromote = autoPromote;
    this.proposer = proposer;
  }

  public synchronized void tick() {
    if (!inFlight.isDone() || !raft.isLeader()) {
      return;
    }
    for (MemberInfo m : raft.members()) {
      if (!m.role().equals("LISTENER")
          || !m.hasReplication()
          || m.lag() > RaftMembership.PROMOTE_LAG
          || m.lastContactMs() > MAX_SILENCE_MS
          || !autoPromote.test(m.name())) {
        continue;
      }
      RaftMembership.Change change;
      try {
        change = raft.membership().planPromote(m.name(), java.util.Optional.empty());
      } catch (RuntimeException e) {
        LOG.debug("event=member_promote_skipped member={} why={}", m.name(), e.getMessage());
        continue;
      }
      String reason =
          "automatic: caught up ("
              + m.lag()
              + " entries behind, at most "
              + RaftMembership.PROMOTE_LAG
              + ")";
      inFlight =
          proposer
              .apply(
                  Command.newBuilder()
                      .setMemberChange(
                          MemberChange.newBuilder().setPromote(m.name()).setReason(reason)))
              .thenCompose(
                  r -> {
                    if (r.hasError()) {
                      throw new IllegalStateException(r.getError().getMessage());
                    }
                    return change.commit();
                  })
              .whenComplete(
                  (ok, err) -> {
                    if (err == null) {
                      LOG.info("event=member_promoted member={} lag={}", m.name(), m.lag());
                    } else {
                      LOG.warn(
                          "event=member_promote_failed member={} error={}",
                          m.name(),
                          err.toString());
                    }
                  });
      return;
    }
  }
}
