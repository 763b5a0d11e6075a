package io.aimstore.bench.cluster;

import io.aimstore.bench.driver.RawGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Which etcd member leads: each member's Maintenance.Status names the leader's member id and its
 * own. (jetcd's {@code Maintenance.statusMember} asks the same; a plain gRPC call avoids a whole
 * jetcd client per question.)
 */
public final class EtcdStatus {
  private EtcdStatus() {}

  /**
   * @param addresses member client addresses in member order (index 0 is member 1)
   * @return the 1-based member whose own id is the leader id that a member reports
   */
  public static OptionalInt leaderMember(List<String> addresses) {
    long[] ids = new long[addresses.size()];
    long leader = 0;
    for (int i = 0; i < addresses.size(); i++) {
      ManagedChannel ch = RawGrpc.channel(addresses.get(i));
      try {
        StatusResponse r =
            MaintenanceGrpc.newBlockingStub(ch)
                .withDeadlineAfter(2, TimeUnit.SECONDS)
                .status(StatusRequest.getDefaultInstance());
        ids[i] = r.getHeader().getMemberId();
        if (r.getLeader() != 0) {
          leader = r.getLeader();
        }
      } catch (RuntimeException e) {
        ids[i] = -1; // down or not answering
      } finally {
        RawGrpc.close(ch);
      }
    }
    for (int i = 0; i < ids.length; i++) {
      if (leader != 0 && ids[i] == leader) {
        return OptionalInt.of(i + 1);
      }
    }
    return OptionalInt.empty();
  }
}
