package io.aimstore.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.CompactionRequest;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.DeleteRangeResponse;
import io.aimstore.api.v1.Fence;
import io.aimstore.api.v1.ForceReleaseRequest;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.Owner;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.api.v1.TxnResponse;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.ErrorCode;
import io.aimstore.internal.LeaseCheckpoint;
import io.aimstore.internal.LeaseGrant;
import io.aimstore.internal.LeaseRevoke;
import io.aimstore.internal.LockAcquire;
import io.aimstore.internal.LockAcquireResult;
import io.aimstore.internal.LockForceRelease;
import io.aimstore.internal.LockRelease;
import io.aimstore.internal.LogEntry;
import io.aimstore.internal.RevokeReason;
import io.aimstore.server.ManualClock;
import io.aimstore.server.storage.RocksBackend;
import io.aimstore.server.storage.Snapshot;
import io.aimstore.server.storage.StorageOptions;
import io.aimstore.server.storage.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link Store} on a fresh {@link RocksBackend} in a temporary directory, fed one command per log
 * entry (index 1, 2, 3, ...) or several commands in one entry, as group commit does. The clock is a
 * {@link ManualClock}: each entry's commands are proposed at {@link #now()}, which advances by
 * {@link #TICK_MS} per entry unless a test sets it.
 */
public final class CoreHarness implements AutoCloseable {
  static final long START_MS = 1_700_000_000_000L;
  static final long TICK_MS = 10;
  static final long TERM = 3;
  static final Owner OWNER =
      Owner.newBuilder()
          .setName("aim-controller")
          .setHost("ctl-1")
          .setPid(4242)
          .setProcessStartMs(START_MS - 60_000)
          .putLabels("fleet", "blue")
          .build();

  private final Path dir;
  private final StorageOptions options;
  private RocksBackend backend;
  private Store store;
  private long index;
  private final ManualClock clock = new ManualClock(START_MS);
  private final List<LogEntry> log = new ArrayList<>();
  private final List<ApplyResult> results = new ArrayList<>();

  private CoreHarness(Path dir, StorageOptions options) {
    this.dir = dir;
    this.options = options;
    openBackend();
    this.index = store.appliedIndex();
  }

  static CoreHarness open(Path dir) {
    return new CoreHarness(dir, StorageOptions.DEFAULT);
  }

  static CoreHarness open(Path dir, StorageOptions options) {
    return new CoreHarness(dir, options);
  }

  private void openBackend() {
    try {
      backend = RocksBackend.open(dir, options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    store = new Store(backend, Limits.DEFAULT);
  }

  /** Closes the backend and opens it again from disk, as after a restart. */
  void reopen() {
    backend.close();
    openBackend();
  }

  Store store() {
    return store;
  }

  RocksBackend backend() {
    return backend;
  }

  /** Every entry applied through this harness, in order. */
  List<LogEntry> log() {
    return log;
  }

  /** The result of every entry in {@link #log()}. */
  List<ApplyResult> results() {
    return results;
  }

  long index() {
    return index;
  }

  long now() {
    return clock.millis();
  }

  void setNow(long ms) {
    clock.setMillis(ms);
  }

  long revision() {
    return store.revision();
  }

  @Override
  public void close() {
    backend.close();
  }

  // ---- applying ------------------------------------------------------------------------------

  /**
   * Applies the commands as one log entry at the next index, stamped with the harness's time as the
   * leader would stamp it — unless a command carries its own (legacy) proposer time.
   */
  ApplyResult applyEntry(Command... commands) {
    LogEntry.Builder e = LogEntry.newBuilder().addAllCommands(List.of(commands));
    if (e.getCommandsList().stream().allMatch(c -> c.getProposedAtMs() == 0)) {
      e.setLeaderTimeMs(clock.millis());
    }
    LogEntry entry = e.build();
    ApplyResult r = store.apply(entry, TERM, ++index);
    assertThat(r.results()).hasSize(commands.length);
    assertThat(store.appliedIndex()).isEqualTo(index);
    log.add(entry);
    results.add(r);
    clock.advance(Duration.ofMillis(TICK_MS));
    return r;
  }

  /** Applies one command in its own log entry. */
  CommandResult apply(Command c) {
    return applyEntry(c).results().get(0);
  }

  /** Applies one command that must succeed. */
  CommandResult ok(Command c) {
    CommandResult r = apply(c);
    assertThat(r.hasError()).as("unexpected error %s", r.getError()).isFalse();
    return r;
  }

  /** Applies one command that must fail with {@code code}; returns the error message. */
  String fails(Command c, ErrorCode code) {
    long rev = store.revision();
    CommandResult r = apply(c);
    assertThat(r.hasError()).as("expected %s, got %s", code, r).isTrue();
    assertThat(r.getError().getCode()).isEqualTo(code);
    assertThat(r.getRevision()).as("a failed command does not bump the revision").isEqualTo(rev);
    return r.getError().getMessage();
  }

  // ---- shortcuts -----------------------------------------------------------------------------

  PutResponse put(String key, String value) {
    return ok(putCmd(key, value)).getPut();
  }

  PutResponse put(ByteString key, ByteString value) {
    return ok(Cmd.put(PutRequest.newBuilder().setKey(key).setValue(value))).getPut();
  }

  PutResponse put(String key, String value, long lease) {
    return ok(Cmd.put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).setLease(lease)))
        .getPut();
  }

  DeleteRangeResponse delete(String key) {
    return ok(Cmd.delete(DeleteRangeRequest.newBuilder().setKey(bs(key)))).getDeleteRange();
  }

  DeleteRangeResponse deleteRange(ByteString key, ByteString end) {
    return ok(Cmd.delete(DeleteRangeRequest.newBuilder().setKey(key).setRangeEnd(end)))
        .getDeleteRange();
  }

  TxnResponse txn(TxnRequest.Builder t) {
    return ok(Cmd.txn(t)).getTxn();
  }

  void compact(long revision) {
    ok(Cmd.compact(revision));
  }

  long grant(long id, long ttl) {
    return ok(Cmd.grant(id, ttl)).getLeaseGrant().getId();
  }

  long grant() {
    return grant(0, 60);
  }

  long revoke(long id) {
    return ok(Cmd.revoke(id)).getLeaseRevoke().getDeletedKeys();
  }

  LockAcquireResult acquire(String lock, long lease) {
    return ok(Cmd.acquire(lock, lease)).getLockAcquire();
  }

  boolean release(String lock, long token) {
    return ok(Cmd.release(lock, token)).getLockRelease().getReleased();
  }

  /** The key at the current revision, or null. */
  KeyValue get(String key) {
    return get(bs(key), 0);
  }

  KeyValue get(ByteString key, long revision) {
    RangeResponse r =
        store.range(RangeRequest.newBuilder().setKey(key).setRevision(revision).build());
    assertThat(r.getKvsCount()).isLessThanOrEqualTo(1);
    return r.getKvsCount() == 0 ? null : r.getKvs(0);
  }

  RangeResponse range(RangeRequest.Builder r) {
    return store.range(r.build());
  }

  /** The keys of a response, in response order, as UTF-8 strings. */
  List<String> keys(RangeResponse r) {
    return r.getKvsList().stream().map(kv -> kv.getKey().toStringUtf8()).toList();
  }

  /** All live keys (including reserved ones) at the current revision. */
  RangeResponse all() {
    return range(
        RangeRequest.newBuilder().setKey(ByteString.EMPTY).setRangeEnd(KeyRanges.ALL_FROM_KEY));
  }

  /** Number of rows in a table, for checks that compaction really removes data. */
  long rows(Table table) {
    long n = 0;
    try (Snapshot s = backend.snapshot();
        var c = s.cursor(table)) {
      for (c.seekToFirst(); c.isValid(); c.next()) {
        n++;
      }
    }
    return n;
  }

  Command putCmd(String key, String value) {
    return Cmd.put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)));
  }

  // ---- values --------------------------------------------------------------------------------

  static ByteString bs(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  /** A key made of raw bytes (ints 0..255). */
  static ByteString bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return ByteString.copyFrom(out);
  }

  static String hex(ByteString b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b.toByteArray()) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }

  static List<String> hex(List<KeyValue> kvs) {
    return kvs.stream().map(kv -> hex(kv.getKey())).toList();
  }

  /** Builders of the commands a log entry carries. */
  public static final class Cmd {
    private Cmd() {}

    public static Command put(PutRequest.Builder p) {
      return Command.newBuilder().setPut(p).build();
    }

    public static Command put(String key, String value) {
      return put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)));
    }

    public static Command put(String key, String value, long lease) {
      return put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).setLease(lease));
    }

    public static Command fencedPut(String key, String value, String lock, long token) {
      return put(
          PutRequest.newBuilder()
              .setKey(bs(key))
              .setValue(bs(value))
              .setFence(Fence.newBuilder().setLock(lock).setToken(token)));
    }

    public static Command delete(DeleteRangeRequest.Builder d) {
      return Command.newBuilder().setDeleteRange(d).build();
    }

    public static Command delete(String key) {
      return delete(DeleteRangeRequest.newBuilder().setKey(bs(key)));
    }

    public static Command deleteRange(String key, String end) {
      return delete(DeleteRangeRequest.newBuilder().setKey(bs(key)).setRangeEnd(bs(end)));
    }

    public static Command txn(TxnRequest.Builder t) {
      return Command.newBuilder().setTxn(t).build();
    }

    public static Command compact(long revision) {
      return Command.newBuilder()
          .setCompact(CompactionRequest.newBuilder().setRevision(revision))
          .build();
    }

    public static Command grant(long id, long ttl) {
      return grant(id, ttl, OWNER);
    }

    public static Command grant(long id, long ttl, Owner owner) {
      LeaseGrant.Builder g = LeaseGrant.newBuilder().setId(id).setTtlSeconds(ttl);
      if (owner != null) {
        g.setOwner(owner);
      }
      return Command.newBuilder().setLeaseGrant(g).build();
    }

    public static Command revoke(long id) {
      return Command.newBuilder()
          .setLeaseRevoke(LeaseRevoke.newBuilder().setId(id).setReason(RevokeReason.EXPIRED))
          .build();
    }

    public static Command checkpoint(long id, long remainingMs) {
      return Command.newBuilder()
          .setLeaseCheckpoint(
              LeaseCheckpoint.newBuilder()
                  .addEntries(
                      LeaseCheckpoint.Entry.newBuilder().setId(id).setRemainingMs(remainingMs)))
          .build();
    }

    public static Command acquire(String lock, long lease) {
      return Command.newBuilder()
          .setLockAcquire(LockAcquire.newBuilder().setName(lock).setLease(lease))
          .build();
    }

    public static Command release(String lock, long token) {
      return Command.newBuilder()
          .setLockRelease(LockRelease.newBuilder().setName(lock).setToken(token))
          .build();
    }

    /** An operator's certificate identity (an admin through the built-in binding). */
    static final String OPERATOR = "spiffe://aimstore/operator/alice";

    /** A force-release by {@link #OPERATOR}. */
    public static Command forceRelease(ForceReleaseRequest.Builder f) {
      return Command.newBuilder()
          .setCaller(OPERATOR)
          .setLockForceRelease(LockForceRelease.newBuilder().setRequest(f))
          .build();
    }
  }

  /** Builders of txn parts. */
  public static final class Ops {
    private Ops() {}

    public static RequestOp put(String key, String value) {
      return RequestOp.newBuilder()
          .setRequestPut(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)))
          .build();
    }

    public static RequestOp put(PutRequest.Builder p) {
      return RequestOp.newBuilder().setRequestPut(p).build();
    }

    public static RequestOp delete(String key) {
      return RequestOp.newBuilder()
          .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bs(key)))
          .build();
    }

    public static RequestOp deleteRange(String key, String end) {
      return RequestOp.newBuilder()
          .setRequestDeleteRange(
              DeleteRangeRequest.newBuilder().setKey(bs(key)).setRangeEnd(bs(end)))
          .build();
    }

    public static RequestOp get(String key) {
      return RequestOp.newBuilder()
          .setRequestRange(RangeRequest.newBuilder().setKey(bs(key)))
          .build();
    }

    public static RequestOp range(RangeRequest.Builder r) {
      return RequestOp.newBuilder().setRequestRange(r).build();
    }

    static Compare.Builder cmp(String key, Compare.CompareResult result) {
      return Compare.newBuilder().setKey(bs(key)).setResult(result);
    }

    static Compare version(String key, Compare.CompareResult result, long v) {
      return cmp(key, result).setTarget(Compare.CompareTarget.VERSION).setVersion(v).build();
    }

    static Compare value(String key, Compare.CompareResult result, String v) {
      return cmp(key, result).setTarget(Compare.CompareTarget.VALUE).setValue(bs(v)).build();
    }

    static Compare create(String key, Compare.CompareResult result, long rev) {
      return cmp(key, result)
          .setTarget(Compare.CompareTarget.CREATE)
          .setCreateRevision(rev)
          .build();
    }

    static Compare mod(String key, Compare.CompareResult result, long rev) {
      return cmp(key, result).setTarget(Compare.CompareTarget.MOD).setModRevision(rev).build();
    }

    static Compare lease(String key, Compare.CompareResult result, long lease) {
      return cmp(key, result).setTarget(Compare.CompareTarget.LEASE).setLease(lease).build();
    }
  }

  static List<String> strings(String... s) {
    return Arrays.asList(s);
  }
}
