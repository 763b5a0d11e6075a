package io.aimstore.chaos.workload;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.DeleteRangeResponse;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.api.v1.TxnResponse;
import io.aimstore.chaos.history.Access;
import io.aimstore.chaos.history.OpKind;
import io.aimstore.chaos.history.Operation;
import io.aimstore.chaos.history.Outcome;
import io.aimstore.chaos.history.WatchEvent;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.KV;
import io.aimstore.client.TlsFiles;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Register operations from several clients, one request in flight each: linearizable reads, puts,
 * compare-and-set transactions (etcd style: compare the value or the mod revision, then put) and
 * deletes, on the keys of a {@link Keyspace}. Every value written is unique in the run. Each
 * operation is recorded with its client, invocation and completion times, input and output:
 *
 * <ul>
 *   <li>an answered operation is OK;
 *   <li>a read that fails is FAIL (it did not happen);
 *   <li>a write that fails is FAIL only if the store said it was not applied ({@link
 *       AimStoreException#retrySafe()}), otherwise INFO (it may have happened, even later).
 * </ul>
 *
 * Changes the store acknowledged are also recorded as committed events at the revision of the
 * response header, for the watch checker.
 */
public final class RegisterWorkload {

  /**
   * @param readPct share of reads, in percent (the rest: writes, compare-and-sets, deletes)
   * @param writePct share of puts
   * @param casPct share of compare-and-set transactions
   * @param thinkMaxMs each client rests a random 0..thinkMaxMs between operations
   */
  public record Mix(int readPct, int writePct, int casPct, int thinkMaxMs) {}

  /**
   * One client.
   *
   * @param id its process id in the history
   * @param endpoints the members it may use, first the one it starts on
   * @param readOnly a reader pinned to one member, to catch that member serving stale reads
   */
  public record ClientSpec(int id, List<String> endpoints, boolean readOnly) {}

  /** What a client knows of a key from its own last answer about it: value and mod revision. */
  private record Known(String value, long modRevision) {}

  private final Keyspace keyspace;
  private final Recorder recorder;
  private final Mix mix;
  private final Stats stats;
  private final long seed;
  private final ClientThreads clients = new ClientThreads();
  private volatile boolean stopping;

  public RegisterWorkload(Keyspace keyspace, Recorder recorder, Mix mix, Stats stats, long seed) {
    this.keyspace = keyspace;
    this.recorder = recorder;
    this.mix = mix;
    this.stats = stats;
    this.seed = seed;
  }

  /**
   * Starts one thread per client; each runs until {@link #stop()} or {@code maxOpsPerClient}.
   *
   * @param tls the cluster's client TLS files; null when it runs insecure
   */
  public void start(List<ClientSpec> specs, TlsFiles tls, long maxOpsPerClient) {
    for (ClientSpec spec : specs) {
      clients.add(
          "register-" + spec.id(),
          spec.endpoints(),
          tls,
          Duration.ofSeconds(spec.readOnly() ? 4 : 6),
          client -> loop(spec, client.kv(), maxOpsPerClient));
    }
    clients.start();
  }

  public void stop() {
    stopping = true;
  }

  /** Waits for the clients to finish their last operation, then closes them. */
  public void join(Duration timeout) throws InterruptedException {
    clients.join(timeout);
  }

  private void loop(ClientSpec spec, KV kv, long maxOps) {
    Random random = new Random(seed * 1_000_003L + spec.id());
    Map<String, Known> known = new HashMap<>();
    long seq = 0;
    for (long n = 0; n < maxOps && !stopping; n++) {
      String key = keyspace.next(random);
      int roll = random.nextInt(100);
      if (spec.readOnly() || roll < mix.readPct()) {
        read(spec.id(), kv, key, known);
      } else if (roll < mix.readPct() + mix.writePct()) {
        write(spec.id(), kv, key, "c" + spec.id() + "-" + seq++, known);
      } else if (roll < mix.readPct() + mix.writePct() + mix.casPct()) {
        Known k = known.get(key);
        boolean useKnown = k != null && random.nextInt(10) < 8;
        boolean byRevision = random.nextBoolean();
        cas(
            spec.id(),
            kv,
            key,
            useKnown ? k : null,
            byRevision,
            "c" + spec.id() + "-" + seq++,
            known);
      } else {
        delete(spec.id(), kv, key, known);
      }
      if (mix.thinkMaxMs() > 0) {
        try {
          Thread.sleep(random.nextInt(mix.thinkMaxMs() + 1));
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void read(int id, KV kv, String key, Map<String, Known> known) {
    long invoke = recorder.now();
    try {
      RangeResponse r = await(kv.get(key));
      long complete = recorder.now();
      String value = null;
      if (r.getKvsCount() > 0) {
        KeyValue k = r.getKvs(0);
        value = k.getValue().toStringUtf8();
        known.put(key, new Known(value, k.getModRevision()));
      } else {
        known.put(key, new Known(null, 0));
      }
      recorder.record(
          Operation.ok(id, Access.read(key), value, invoke, complete, r.getHeader().getRevision()));
      stats.add("read.ok");
    } catch (Exception e) {
      failed(id, OpKind.READ, Access.read(key), invoke, e, false);
    }
  }

  private void write(int id, KV kv, String key, String value, Map<String, Known> known) {
    long invoke = recorder.now();
    Access access = Access.write(key, value);
    try {
      PutResponse r = await(kv.put(key, value));
      long complete = recorder.now();
      long rev = r.getHeader().getRevision();
      known.put(key, new Known(value, rev));
      recorder.record(Operation.ok(id, access, null, invoke, complete, rev));
      if (rev > 0) {
        recorder.committed(WatchEvent.put(rev, key, value));
      }
      stats.add("write.ok");
    } catch (Exception e) {
      known.remove(key);
      failed(id, OpKind.WRITE, access, invoke, e, true);
    }
  }

  private void cas(
      int id,
      KV kv,
      String key,
      Known expected,
      boolean byRevision,
      String value,
      Map<String, Known> known) {
    String expectedValue = expected == null ? null : expected.value();
    Compare.Builder compare =
        Compare.newBuilder().setKey(KV.utf8(key)).setResult(Compare.CompareResult.EQUAL);
    if (expectedValue == null) {
      compare.setTarget(Compare.CompareTarget.MOD).setModRevision(0); // etcd: a missing key
    } else if (byRevision && expected.modRevision() > 0) {
      // the key holds that value exactly when it was last modified at that revision: values are
      // unique, and each write has its own revision
      compare.setTarget(Compare.CompareTarget.MOD).setModRevision(expected.modRevision());
    } else {
      compare.setTarget(Compare.CompareTarget.VALUE).setValue(KV.utf8(expectedValue));
    }
    TxnRequest txn =
        TxnRequest.newBuilder()
            .addCompare(compare)
            .addSuccess(
                RequestOp.newBuilder()
                    .setRequestPut(
                        PutRequest.newBuilder()
                            .setKey(KV.utf8(key))
                            .setValue(ByteString.copyFromUtf8(value))))
            .build();
    Access access = Access.cas(key, expectedValue, value);
    long invoke = recorder.now();
    try {
      TxnResponse r = await(kv.txn(txn));
      long complete = recorder.now();
      long rev = r.getHeader().getRevision();
      recorder.record(Operation.ok(id, access, r.getSucceeded(), invoke, complete, rev));
      if (r.getSucceeded()) {
        known.put(key, new Known(value, rev));
        if (rev > 0) {
          recorder.committed(WatchEvent.put(rev, key, value));
        }
        stats.add("cas.ok.applied");
      } else {
        known.remove(key);
        stats.add("cas.ok.refused");
      }
    } catch (Exception e) {
      known.remove(key);
      failed(id, OpKind.CAS, access, invoke, e, true);
    }
  }

  private void delete(int id, KV kv, String key, Map<String, Known> known) {
    long invoke = recorder.now();
    Access access = Access.delete(key);
    try {
      DeleteRangeResponse r = await(kv.delete(key));
      long complete = recorder.now();
      long rev = r.getHeader().getRevision();
      known.put(key, new Known(null, 0));
      recorder.record(Operation.ok(id, access, null, invoke, complete, rev));
      if (r.getDeleted() > 0 && rev > 0) {
        recorder.committed(WatchEvent.delete(rev, key));
      }
      stats.add("delete.ok");
    } catch (Exception e) {
      known.remove(key);
      failed(id, OpKind.DELETE, access, invoke, e, true);
    }
  }

  /** Records a failed operation: FAIL if it certainly did not happen, INFO otherwise. */
  private void failed(
      int id, OpKind kind, Access access, long invoke, Exception e, boolean mutates) {
    long complete = recorder.now();
    AimStoreException a = AimStoreException.from(e);
    Outcome outcome = !mutates || a.retrySafe() ? Outcome.FAIL : Outcome.INFO;
    recorder.record(
        new Operation(id, kind, List.of(access), List.of(), invoke, complete, outcome, 0));
    stats.add(kind.name().toLowerCase() + "." + outcome.name().toLowerCase());
    stats.add("error." + a.code());
  }

  /** Waits for a call; the client's own request timeout ends it first, this is a safety net. */
  private static <T> T await(CompletableFuture<T> call) throws Exception {
    return call.get(30, TimeUnit.SECONDS);
  }
}
