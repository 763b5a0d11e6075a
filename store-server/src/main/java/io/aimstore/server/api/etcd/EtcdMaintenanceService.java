package io.aimstore.server.api.etcd;

import io.aimstore.etcd.api.AlarmMember;
import io.aimstore.etcd.api.AlarmRequest;
import io.aimstore.etcd.api.AlarmResponse;
import io.aimstore.etcd.api.AlarmType;
import io.aimstore.etcd.api.DefragmentRequest;
import io.aimstore.etcd.api.DefragmentResponse;
import io.aimstore.etcd.api.DowngradeRequest;
import io.aimstore.etcd.api.DowngradeResponse;
import io.aimstore.etcd.api.HashKVRequest;
import io.aimstore.etcd.api.HashKVResponse;
import io.aimstore.etcd.api.HashRequest;
import io.aimstore.etcd.api.HashResponse;
import io.aimstore.etcd.api.MaintenanceGrpc;
import io.aimstore.etcd.api.MoveLeaderRequest;
import io.aimstore.etcd.api.MoveLeaderResponse;
import io.aimstore.etcd.api.SnapshotRequest;
import io.aimstore.etcd.api.SnapshotResponse;
import io.aimstore.etcd.api.StatusRequest;
import io.aimstore.etcd.api.StatusResponse;
import io.aimstore.server.api.ClusterService;
import io.aimstore.server.api.Headers;
import io.aimstore.server.api.Reads;
import io.aimstore.server.core.Store;
import io.aimstore.server.core.StoreException;
import io.grpc.stub.StreamObserver;

/**
 * etcd's Maintenance service: Status from aimstore's {@link ClusterService}; Hash and HashKV of
 * this member's state (compare members at one revision to find a diverged one); Alarm lists the
 * active alarms (NOSPACE, CORRUPT: docs/operations.md#full-disk). The rest is not offered, and each
 * says why.
 */
final class EtcdMaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
  /** The etcd API level aimstore speaks, with aimstore's own version as build metadata. */
  static final String VERSION = "3.4.0+aimstore." + ClusterService.VERSION;

  private final ClusterService cluster;
  private final Reads reads;
  private final Headers headers;

  EtcdMaintenanceService(ClusterService cluster, Reads reads, Headers headers) {
    this.cluster = cluster;
    this.reads = reads;
    this.headers = headers;
  }

  @Override
  public void status(StatusRequest req, StreamObserver<StatusResponse> obs) {
    cluster.status(
        io.aimstore.api.v1.StatusRequest.getDefaultInstance(),
        Relay.to(
            obs,
            s ->
                StatusResponse.newBuilder()
                    .setHeader(EtcdMessages.header(s.getHeader()))
                    .setVersion(VERSION)
                    .setDbSize(s.getDbSize())
                    .setDbSizeInUse(s.getDbSize())
                    .setLeader(s.getLeader())
                    .setRaftIndex(s.getRaftCommitIndex())
                    .setRaftTerm(s.getRaftTerm())
                    .setRaftAppliedIndex(s.getRaftAppliedIndex())
                    .setIsLearner(s.getRole().equals("LISTENER"))
                    .build()));
  }

  @Override
  public void hashKV(HashKVRequest req, StreamObserver<HashKVResponse> obs) {
    if (req.getRevision() < 0) {
      obs.onError(EtcdErrors.toEtcd(StoreException.invalid("revision must be >= 0")));
      return;
    }
    Relay.send(
        reads.serializable(
            store -> {
              Store.KeyspaceHash h = store.hashKeyspace(req.getRevision());
              return HashKVResponse.newBuilder()
                  .setHeader(EtcdMessages.header(headers.at(store.revision())))
                  .setHash(h.hash())
                  .setCompactRevision(h.compactRevision())
                  .setHashRevision(h.revision())
                  .build();
            }),
        obs);
  }

  /** The first 32 bits of aimstore's state hash (every table: keys, leases, locks, ...). */
  @Override
  public void hash(HashRequest req, StreamObserver<HashResponse> obs) {
    Relay.send(
        reads.serializable(
            store ->
                HashResponse.newBuilder()
                    .setHeader(EtcdMessages.header(headers.at(store.revision())))
                    .setHash((int) Long.parseLong(store.stateHash().substring(0, 8), 16))
                    .build()),
        obs);
  }

  @Override
  public void alarm(AlarmRequest req, StreamObserver<AlarmResponse> obs) {
    if (req.getAction() != AlarmRequest.AlarmAction.GET) {
      obs.onError(
          EtcdErrors.unimplemented(
              "aimstore raises its alarms itself; clear one by hand with 'aimctl alarm disarm'"
                  + " (docs/operations.md#full-disk)"));
      return;
    }
    Relay.send(
        reads.serializable(
            store -> {
              AlarmResponse.Builder b =
                  AlarmResponse.newBuilder()
                      .setHeader(EtcdMessages.header(headers.at(store.revision())));
              for (io.aimstore.api.v1.Alarm a : store.alarms().list()) {
                b.addAlarms(
                    AlarmMember.newBuilder()
                        .setMemberID(headers.memberId(a.getMember()))
                        .setAlarm(AlarmType.forNumber(a.getAlarmValue())));
              }
              return b.build();
            }),
        obs);
  }

  @Override
  public void defragment(DefragmentRequest req, StreamObserver<DefragmentResponse> obs) {
    obs.onError(
        EtcdErrors.unimplemented(
            "aimstore's storage (RocksDB) compacts its files by itself: there is nothing to"
                + " defragment"));
  }

  @Override
  public void snapshot(SnapshotRequest req, StreamObserver<SnapshotResponse> obs) {
    obs.onError(
        EtcdErrors.unimplemented(
            "etcd's snapshots are bbolt database files, which aimstore does not have: save one with"
                + " 'aimctl snapshot save FILE' and restore it with 'aimstore restore'"));
  }

  @Override
  public void moveLeader(MoveLeaderRequest req, StreamObserver<MoveLeaderResponse> obs) {
    obs.onError(EtcdErrors.unimplemented("aimstore does not move its Raft leader on request"));
  }

  @Override
  public void downgrade(DowngradeRequest req, StreamObserver<DowngradeResponse> obs) {
    obs.onError(EtcdErrors.unimplemented("aimstore has no etcd cluster versions to downgrade"));
  }
}
