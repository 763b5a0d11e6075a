package io.aimstore.server.api.etcd;

import io.aimstore.server.api.ClusterService;
import io.aimstore.server.api.Headers;
import io.aimstore.server.api.KvService;
import io.aimstore.server.api.LeaseService;
import io.aimstore.server.api.LockService;
import io.aimstore.server.api.Reads;
import io.aimstore.server.api.WatchService;
import io.aimstore.server.core.Limits;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import java.util.List;

/**
 * etcd's v3 services (KV, Watch, Lease, Cluster, Maintenance, Auth, v3lock Lock, v3election
 * Election), built on aimstore's own services, for the client port beside them.
 */
public final class EtcdApi {
  private EtcdApi() {}

  /**
   * The etcd services, each knowing its caller's connection (see {@link CallInfo}); the server adds
   * the same interceptors as for aimstore's services.
   */
  public static List<BindableService> services(
      KvService kv,
      WatchService watch,
      LeaseService leases,
      LockService locks,
      ClusterService cluster,
      Reads reads,
      Headers headers,
      Limits limits) {
    List<BindableService> etcd =
        List.of(
            new EtcdKvService(kv),
            new EtcdWatchService(watch),
            new EtcdLeaseService(leases, limits),
            new EtcdLockService(locks, kv),
            new EtcdElectionService(locks, kv, watch),
            new EtcdClusterService(cluster),
            new EtcdMaintenanceService(cluster, reads, headers),
            new EtcdAuthService());
    return etcd.stream()
        .<BindableService>map(s -> () -> ServerInterceptors.intercept(s, CallInfo.interceptor()))
        .toList();
  }
}
