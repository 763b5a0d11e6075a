package io.aimstore.server.api;

import io.aimstore.api.v1.MemberRecord;
import io.aimstore.internal.CommandResult;
import io.aimstore.server.core.ApplyResult;
import io.aimstore.server.core.Store;
import io.aimstore.server.raft.AimStateMachine;
import io.aimstore.server.raft.ApplyListener;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The endpoints of the members added at run time ({@code aimctl member add}), from their records in
 * the store; read again after an applied entry changes a record or a snapshot replaces the store.
 */
public final class AddedMembers implements ApplyListener, Supplier<Map<String, MemberEndpoints>> {
  private final AimStateMachine stateMachine;
  private volatile Map<String, MemberEndpoints> cached;

  public AddedMembers(AimStateMachine stateMachine) {
    this.stateMachine = stateMachine;
  }

  @Override
  public Map<String, MemberEndpoints> get() {
    Map<String, MemberEndpoints> m = cached;
    if (m == null) {
      Map<String, MemberEndpoints> out = new LinkedHashMap<>();
      for (MemberRecord r : stateMachine.read(Store::members).values()) {
        out.put(
            r.getName(),
            new MemberEndpoints(
                r.getName(), r.getRaftAddress(), r.getClientAddress(), r.getMetricsAddress()));
      }
      m = Map.copyOf(out);
      cached = m;
    }
    return m;
  }

  /** Whether {@code name} is promoted by the leader once caught up (false if it has no record). */
  public boolean autoPromote(String name) {
    MemberRecord r = stateMachine.read(Store::members).get(name);
    return r != null && !r.getManualPromote();
  }

  @Override
  public void onApplied(long index, ApplyResult result) {
    for (CommandResult r : result.results()) {
      if (r.hasMemberChange()) {
        cached = null;
        return;
      }
    }
  }

  @Override
  public void onReset(Store store) {
    cached = null;
  }
}
