package io.aimstore.server.api;

import com.google.protobuf.ByteString;
import io.aimstore.api.SnapshotFile;
import io.aimstore.api.v1.Alarm;
import io.aimstore.api.v1.AlarmDisarmRequest;
import io.aimstore.api.v1.AlarmDisarmResponse;
import io.aimstore.api.v1.AlarmListRequest;
import io.aimstore.api.v1.AlarmListResponse;
import io.aimstore.api.v1.HashKVRequest;
import io.aimstore.api.v1.HashKVResponse;
import io.aimstore.api.v1.MaintenanceGrpc;
import io.aimstore.api.v1.SnapshotMember;
import io.aimstore.api.v1.SnapshotMetadata;
import io.aimstore.api.v1.SnapshotRequest;
import io.aimstore.api.v1.SnapshotResponse;
import io.aimstore.internal.AlarmChange;
import io.aimstore.internal.AlarmChangeResult;
import io.aimstore.internal.Command;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.SnapshotSave;
import io.aimstore.server.core.Store;
import io.aimstore.server.core.StoreException;
import io.aimstore.server.raft.MemberInfo;
import io.aimstore.server.raft.RaftNode;
import io.aimstore.server.raft.SnapshotExport;
import io.aimstore.server.raft.StoreUnavailableException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's alarms (list and disarm; raising and clearing is the store's own, see {@code
 * raft.Alarms}), and backups: streams a consistent point-in-time snapshot of this member's store as
 * a snapshot file ({@link SnapshotFile}). Admins only; each save writes an audit record through the
 * log first, so the snapshot holds the record of its own save. One snapshot streams from a member
 * at a time.
 *
 * <p>The snapshot is a Raft snapshot taken on demand after a ReadIndex barrier (so it holds every
 * write acknowledged before the call), linked into {@code exportDir} so that it outlives snapshot
 * pruning while it streams, and sent as fast as the caller reads it (gRPC flow control).
 *
 * <p>Corruption checks: {@link #hashKV} hashes this member's own keyspace at a revision, for admins
 * ({@code aimctl check hash}) and for the leader's periodic comparison ({@link CorruptionCheck}).
 */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceService.class);

  /** Bytes per streamed message. */
  static final int CHUNK_BYTES = 256 * 1024;

  private final Writes writes;
  private final Guard guard;
  private final Headers headers;
  private final RaftNode raft;
  private final ClusterView cluster;
  private final String clusterName;
  private final Path exportDir;
  private final Executor executor;
  private final Executor hashExecutor;
  private final LongSupplier wallClockMs;
  private final Semaphore streaming = new Semaphore(1);

  /**
   * @param clusterName the configured cluster name (recorded in the snapshot)
   * @param exportDir where snapshots are linked while they stream: on the file system of the Raft
   *     directory; emptied now (a process that died while streaming leaves its copy there)
   * @param executor runs the blocking part of a save (taking the snapshot, reading its files)
   * @param hashExecutor runs keyspace hashes (a read of the whole keyspace)
   */
  public MaintenanceService(
      Writes writes,
      Guard guard,
      Headers headers,
      RaftNode raft,
      ClusterView cluster,
      String clusterName,
      Path exportDir,
      Executor executor,
      Executor hashExecutor,
      LongSupplier wallClockMs)
      throws IOException {
    this.writes = writes;
    this.guard = guard;
    this.headers = headers;
    this.raft = raft;
    this.cluster = cluster;
    this.clusterName = clusterName;
    this.exportDir = exportDir;
    this.executor = executor;
    this.hashExecutor = hashExecutor;
    this.wallClockMs = wallClockMs;
    deleteRecursively(exportDir);
  }

  @Override
  public void alarmList(AlarmListRequest req, StreamObserver<AlarmListResponse> obs) {
    Replies.run(
        () ->
            raft.readBarrier()
                .thenApply(
                    v ->
                        raft.stateMachine()
                            .read(
                                s ->
                                    AlarmListResponse.newBuilder()
                                        .setHeader(headers.at(s.revision()))
                                        .addAllAlarms(s.alarms().list())
                                        .build())),
        obs);
  }

  @Override
  public void alarmDisarm(AlarmDisarmRequest req, StreamObserver<AlarmDisarmResponse> obs) {
    Replies.run(
        () ->
            writes
                .submit(
                    Command.newBuilder()
                        .setAlarmChange(
                            AlarmChange.newBuilder()
                                .setAction(AlarmChange.Action.DISARM)
                                .setAlarm(
                                    Alarm.newBuilder()
                                        .setAlarm(req.getAlarm())
                                        .setMember(req.getMember()))
                                .setReason(req.getReason())))
                .thenApply(
                    r -> {
                      AlarmChangeResult a = r.getAlarmChange();
                      return AlarmDisarmResponse.newBuilder()
                          .setHeader(headers.at(r.getRevision()))
                          .addAllDisarmed(a.getChangedList())
                          .addAllAlarms(a.getActiveList())
                          .setAudit(a.getAudit())
                          .build();
                    }),
        obs);
  }

  @Override
  public void snapshot(SnapshotRequest req, StreamObserver<SnapshotResponse> obs) {
    FlowControl flow = new FlowControl((ServerCallStreamObserver<SnapshotResponse>) obs);
    CompletableFuture<?> audited;
    try {
      guard.access().requireAdmin("save a snapshot of the store");
      if (!streaming.tryAcquire()) {
        throw new StoreException(
            ErrorCode.RESOURCE_EXHAUSTED,
            "a snapshot is already streaming from member "
                + raft.selfName()
                + "; wait for it or ask another member");
      }
    } catch (RuntimeException e) {
      flow.fail(e);
      return;
    }
    try {
      // the audit record goes through the log first, so the snapshot holds it
      audited =
          writes.submit(
              Command.newBuilder()
                  .setSnapshotSave(SnapshotSave.newBuilder().setMember(raft.selfName())));
    } catch (RuntimeException e) {
      streaming.release();
      flow.fail(e);
      return;
    }
    audited
        .thenCompose(r -> raft.readBarrier())
        .thenRunAsync(() -> send(flow), executor)
        .whenComplete(
            (v, err) -> {
              streaming.release();
              if (err != null) {
                flow.fail(err);
              }
            });
  }

  /**
   * This member's hash of its keyspace: answered from its own store, never forwarded (comparing the
   * members' answers is the point). Admins and members only.
   */
  @Override
  public void hashKV(HashKVRequest req, StreamObserver<HashKVResponse> obs) {
    try {
      String caller = Caller.identity();
      if (!CertificateIdentity.isMember(caller)) {
        guard.access().requireAdmin("hash the keyspace");
      }
      if (req.getRevision() < 0) {
        throw StoreException.invalid("revision must be >= 0, got " + req.getRevision());
      }
    } catch (RuntimeException e) {
      obs.onError(GrpcErrors.toStatus(e));
      return;
    }
    CompletableFuture.supplyAsync(() -> hash(req.getRevision()), hashExecutor)
        .whenComplete(
            (r, err) -> {
              if (err != null) {
                obs.onError(GrpcErrors.toStatus(err));
              } else {
                obs.onNext(r);
                obs.onCompleted();
              }
            });
  }

  /** Hashes the local store at {@code revision} (0: its current one). */
  HashKVResponse hash(long revision) {
    Store.KeyspaceHash h = raft.stateMachine().read(s -> s.hashKeyspace(revision));
    return HashKVResponse.newBuilder()
        .setHeader(headers.at(raft.stateMachine().read(Store::revision)))
        .setMember(raft.selfName())
        .setHash(h.hash())
        .setRevision(h.revision())
        .setCompactRevision(h.compactRevision())
        .build();
  }

  private void send(FlowControl flow) {
    long t0 = System.nanoTime();
    Path dir = exportDir.resolve(UUID.randomUUID().toString());
    try {
      raft.snapshotNow();
      SnapshotExport export = raft.stateMachine().exportLatestSnapshot(dir);
      List<SnapshotFile.Entry> entries = new ArrayList<>();
      for (Path f : export.files()) {
        entries.add(SnapshotFile.Entry.of(f));
      }
      SnapshotMetadata meta = metadata(export, entries);
      long total = SnapshotFile.size(meta, entries);
      String sha256;
      try (ChunkedStream out = new ChunkedStream(flow, total)) {
        sha256 = SnapshotFile.write(out, meta, entries);
      }
      flow.complete();
      LOG.info(
          "event=snapshot_streamed member={} revision={} raft_index={} bytes={} ms={} sha256={}",
          raft.selfName(),
          export.revision(),
          export.index(),
          total,
          (System.nanoTime() - t0) / 1_000_000,
          sha256);
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "cannot stream a snapshot from member " + raft.selfName() + ": " + e.getMessage());
    } finally {
      try {
        deleteRecursively(dir);
      } catch (IOException e) {
        LOG.warn("event=snapshot_export_cleanup_failed dir={} error={}", dir, e.toString());
      }
    }
  }

  private SnapshotMetadata metadata(SnapshotExport export, List<SnapshotFile.Entry> entries) {
    SnapshotMetadata.Builder b =
        SnapshotMetadata.newBuilder()
            .setFormatVersion(SnapshotFile.FORMAT_VERSION)
            .setClusterName(clusterName)
            .setClusterId(cluster.clusterId())
            .setMember(raft.selfName())
            .setRevision(export.revision())
            .setCompactRevision(export.compactRevision())
            .setRaftTerm(export.term())
            .setRaftIndex(export.index())
            .setCreatedAtMs(wallClockMs.getAsLong())
            .setFiles(entries.size())
            .setPayloadBytes(entries.stream().mapToLong(SnapshotFile.Entry::size).sum());
    for (MemberInfo m : raft.members()) {
      b.addMembers(SnapshotMember.newBuilder().setName(m.name()).setPeerAddress(m.raftAddress()));
    }
    return b.build();
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  /** The call's side of gRPC flow control: sends when the caller can take more. */
  private static final class FlowControl {
    private final ServerCallStreamObserver<SnapshotResponse> call;
    private volatile boolean cancelled;
    private volatile boolean closed;

    FlowControl(ServerCallStreamObserver<SnapshotResponse> call) {
      this.call = call;
      call.setOnReadyHandler(this::wake);
      call.setOnCancelHandler(
          () -> {
            cancelled = true;
            wake();
          });
    }

    private synchronized void wake() {
      notifyAll();
    }

    /** Sends one message once the transport can take it; fails if the caller went away. */
    void send(SnapshotResponse r) throws IOException {
      synchronized (this) {
        while (!call.isReady() && !cancelled) {
          try {
            wait(1000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while streaming");
          }
        }
      }
      if (cancelled) {
        throw new IOException("the caller cancelled the snapshot");
      }
      call.onNext(r);
    }

    void complete() {
      closed = true;
      call.onCompleted();
    }

    void fail(Throwable t) {
      if (closed || cancelled) {
        return;
      }
      closed = true;
      try {
        call.onError(GrpcErrors.toStatus(t));
      } catch (IllegalStateException e) {
        // the call closed in the meantime
      }
    }
  }

  /** Cuts the bytes written to it into messages of {@link #CHUNK_BYTES}. */
  private static final class ChunkedStream extends OutputStream {
    private final FlowControl flow;
    private final byte[] buf = new byte[CHUNK_BYTES];
    private int used;
    private long total;

    ChunkedStream(FlowControl flow, long total) {
      this.flow = flow;
      this.total = total;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, buf.length - used);
        System.arraycopy(b, off, buf, used, n);
        used += n;
        off += n;
        len -= n;
        if (used == buf.length) {
          sendBuffered();
        }
      }
    }

    private void sendBuffered() throws IOException {
      if (used == 0) {
        return;
      }
      SnapshotResponse.Builder r =
          SnapshotResponse.newBuilder().setBlob(ByteString.copyFrom(buf, 0, used));
      if (total >= 0) {
        r.setTotalBytes(total);
        total = -1;
      }
      flow.send(r.build());
      used = 0;
    }

    @Override
    public void flush() {
      // messages go out when full, and at close: flushing each small write would send tiny ones
    }

    @Override
    public void close() throws IOException {
      sendBuffered();
    }
  }
}
