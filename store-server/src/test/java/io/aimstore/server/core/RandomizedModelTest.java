package io.aimstore.server.core;

import static io.aimstore.server.core.CoreHarness.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.CompactionRequest;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.ResponseOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random puts, deletes, txns and compactions (fixed seeds), checked after every entry against a
 * tiny in-memory model of etcd's MVCC semantics that keeps every revision's full keyspace.
 */
class RandomizedModelTest {
  private static final Comparator<ByteString> ORDER =
      ByteString.unsignedLexicographicalComparator();
  private static final int STEPS = 250;

  private static final List<ByteString> KEYS =
      List.of(
          bytes(0x00),
          bytes(0x00, 0xFF),
          bytes('a'),
          bytes('a', 0x00),
          bytes('a', 0x00, 0x00),
          bytes('a', 'b'),
          bytes('a', 0xFF),
          bytes('b'),
          bytes('c', '/', '1'),
          bytes('c', '/', '2'),
          bytes(0xFF),
          bytes(0xFF, 0xFF));

  /** Range bounds: single keys, real ends, "\0" and points between keys. */
  private static final List<ByteString> BOUNDS =
      List.of(
          ByteString.EMPTY,
          bytes(0x00),
          bytes(0x00, 0x00),
          bytes('a'),
          bytes('a', 0x00, 0x01),
          bytes('a', 0x01),
          bytes('b'),
          bytes('c', '/'),
          bytes('c', '0'),
          bytes(0xFF),
          bytes(0xFF, 0x00));

  @TempDir Path dir;

  static Stream<Long> seeds() {
    return Stream.of(1L, 7L, 42L, 1234L, 20261127L);
  }

  // ---- the model -----------------------------------------------------------------------------

  record V(ByteString value, long create, long mod, long version) {}

  /** etcd's MVCC keyspace, naively: a full copy of the live keys per revision. */
  static final class Model {
    final List<NavigableMap<ByteString, V>> history = new ArrayList<>();
    NavigableMap<ByteString, V> live = new TreeMap<>(ORDER);
    long rev;
    long compact;

    Model() {
      history.add(new TreeMap<>(ORDER));
    }

    static boolean inRange(ByteString key, ByteString start, ByteString end) {
      if (end.isEmpty()) {
        return key.equals(start);
      }
      if (ORDER.compare(key, start) < 0) {
        return false;
      }
      return end.equals(bytes(0)) || ORDER.compare(key, end) < 0;
    }

    static List<KeyValue> range(Map<ByteString, V> at, ByteString start, ByteString end) {
      List<KeyValue> out = new ArrayList<>();
      at.forEach(
          (k, v) -> {
            if (inRange(k, start, end)) {
              out.add(kv(k, v));
            }
          });
      return out;
    }

    static KeyValue kv(ByteString k, V v) {
      return KeyValue.newBuilder()
          .setKey(k)
          .setValue(v.value())
          .setCreateRevision(v.create())
          .setModRevision(v.mod())
          .setVersion(v.version())
          .build();
    }

    NavigableMap<ByteString, V> at(long revision) {
      return history.get((int) revision);
    }

    private void commit(NavigableMap<ByteString, V> next) {
      rev++;
      live = next;
      history.add(new TreeMap<>(next));
      assertThat(history).hasSize((int) rev + 1);
    }

    /** Applies a command to the model and checks the store's result against it. */
    void check(Command c, CommandResult r) {
      switch (c.getKindCase()) {
        case PUT -> {
          TreeMap<ByteString, V> next = new TreeMap<>(live);
          put(next, c.getPut(), rev + 1);
          commit(next);
          assertThat(r.getPut().getHeader().getRevision()).isEqualTo(rev);
        }
        case DELETE_RANGE -> {
          TreeMap<ByteString, V> next = new TreeMap<>(live);
          int n = delete(next, c.getDeleteRange());
          if (n > 0) {
            commit(next);
          }
          assertThat(r.getDeleteRange().getDeleted()).isEqualTo(n);
        }
        case TXN -> txn(c.getTxn(), r);
        case COMPACT -> {
          long at = c.getCompact().getRevision();
          if (at <= compact || at > rev) {
            assertThat(r.getError().getCode()).isEqualTo(ErrorCode.OUT_OF_RANGE);
          } else {
            assertThat(r.hasError()).as("%s", r.getError()).isFalse();
            compact = at;
          }
        }
        default -> throw new AssertionError(c);
      }
      assertThat(r.getRevision()).isEqualTo(rev);
    }

    static void put(NavigableMap<ByteString, V> m, PutRequest p, long at) {
      V old = m.get(p.getKey());
      m.put(
          p.getKey(),
          new V(
              p.getValue(),
              old == null ? at : old.create(),
              at,
              old == null ? 1 : old.version() + 1));
    }

    static int delete(NavigableMap<ByteString, V> m, DeleteRangeRequest d) {
      List<ByteString> victims =
          m.keySet().stream().filter(k -> inRange(k, d.getKey(), d.getRangeEnd())).toList();
      victims.forEach(m::remove);
      return victims.size();
    }

    boolean holds(Compare c) {
      List<KeyValue> kvs = range(live, c.getKey(), c.getRangeEnd());
      if (kvs.isEmpty()) {
        if (c.getTarget() == Compare.CompareTarget.VALUE) {
          return false;
        }
        kvs = List.of(KeyValue.getDefaultInstance());
      }
      for (KeyValue kv : kvs) {
        int cmp =
            switch (c.getTarget()) {
              case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
              case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
              case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
              case LEASE -> Long.compare(kv.getLease(), c.getLease());
              case VALUE -> ORDER.compare(kv.getValue(), c.getValue());
              default -> throw new AssertionError(c);
            };
        boolean ok =
            switch (c.getResult()) {
              case EQUAL -> cmp == 0;
              case NOT_EQUAL -> cmp != 0;
              case LESS -> cmp < 0;
              case GREATER -> cmp > 0;
              default -> throw new AssertionError(c);
            };
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    void txn(TxnRequest t, CommandResult r) {
      boolean succeeded = t.getCompareList().stream().allMatch(this::holds);
      List<RequestOp> ops = succeeded ? t.getSuccessList() : t.getFailureList();
      // etcd's overlap rule
      List<ByteString> puts = new ArrayList<>();
      boolean overlap = false;
      for (RequestOp op : ops) {
        if (op.hasRequestPut()) {
          overlap |= puts.contains(op.getRequestPut().getKey());
          puts.add(op.getRequestPut().getKey());
        }
      }
      for (RequestOp op : ops) {
        if (op.hasRequestDeleteRange()) {
          DeleteRangeRequest d = op.getRequestDeleteRange();
          overlap |= puts.stream().anyMatch(k -> inRange(k, d.getKey(), d.getRangeEnd()));
        }
      }
      if (overlap) {
        assertThat(r.getError().getCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        return;
      }
      boolean compacted =
          ops.stream()
              .anyMatch(
                  op ->
                      op.hasRequestRange()
                          && op.getRequestRange().getRevision() != 0
                          && op.getRequestRange().getRevision() < compact);
      if (compacted) {
        assertThat(r.getError().getCode()).isEqualTo(ErrorCode.OUT_OF_RANGE);
        return;
      }
      assertThat(r.hasError()).as("%s", r.getError()).isFalse();
      assertThat(r.getTxn().getSucceeded()).isEqualTo(succeeded);
      TreeMap<ByteString, V> next = new TreeMap<>(live);
      boolean dirty = false;
      for (int i = 0; i < ops.size(); i++) {
        RequestOp op = ops.get(i);
        ResponseOp resp = r.getTxn().getResponses(i);
        switch (op.getRequestCase()) {
          case REQUEST_PUT -> {
            put(next, op.getRequestPut(), rev + 1);
            dirty = true;
          }
          case REQUEST_DELETE_RANGE -> {
            int n = delete(next, op.getRequestDeleteRange());
            dirty |= n > 0;
            assertThat(resp.getResponseDeleteRange().getDeleted()).isEqualTo(n);
          }
          case REQUEST_RANGE -> {
            RangeRequest q = op.getRequestRange();
            Map<ByteString, V> at = q.getRevision() == 0 ? next : at(q.getRevision());
            List<KeyValue> expected = range(at, q.getKey(), q.getRangeEnd());
            assertThat(resp.getResponseRange().getKvsList()).isEqualTo(expected);
            assertThat(resp.getResponseRange().getCount()).isEqualTo(expected.size());
          }
          default -> throw new AssertionError(op);
        }
      }
      if (dirty) {
        commit(next);
      }
      assertThat(r.getTxn().getHeader().getRevision()).isEqualTo(rev);
    }
  }

  // ---- the generator -------------------------------------------------------------------------

  static final class Gen {
    final Random rnd;
    int step;

    Gen(long seed) {
      rnd = new Random(seed);
    }

    ByteString key() {
      return KEYS.get(rnd.nextInt(KEYS.size()));
    }

    ByteString value() {
      return rnd.nextInt(10) == 0
          ? ByteString.EMPTY
          : ByteString.copyFromUtf8(Integer.toString(rnd.nextInt(5)));
    }

    /** A range: one key, [key, end) or [key, "\0"). */
    ByteString[] range() {
      ByteString start = rnd.nextBoolean() ? key() : BOUNDS.get(rnd.nextInt(BOUNDS.size()));
      return switch (rnd.nextInt(4)) {
        case 0 -> new ByteString[] {start, ByteString.EMPTY};
        case 1 -> new ByteString[] {start, bytes(0)};
        default -> new ByteString[] {start, BOUNDS.get(1 + rnd.nextInt(BOUNDS.size() - 1))};
      };
    }

    PutRequest put() {
      return PutRequest.newBuilder().setKey(key()).setValue(value()).build();
    }

    DeleteRangeRequest delete() {
      ByteString[] r = rnd.nextInt(3) == 0 ? range() : new ByteString[] {key(), ByteString.EMPTY};
      return DeleteRangeRequest.newBuilder().setKey(r[0]).setRangeEnd(r[1]).build();
    }

    Compare compare(Model m) {
      Compare.Builder c =
          Compare.newBuilder()
              .setKey(key())
              .setResult(Compare.CompareResult.forNumber(rnd.nextInt(4)));
      if (rnd.nextInt(5) == 0) {
        ByteString[] r = range();
        c.setKey(r[0]).setRangeEnd(r[1]);
      }
      long someRev = rnd.nextInt((int) m.rev + 2);
      switch (rnd.nextInt(5)) {
        case 0 -> c.setTarget(Compare.CompareTarget.VERSION).setVersion(rnd.nextInt(4));
        case 1 -> c.setTarget(Compare.CompareTarget.CREATE).setCreateRevision(someRev);
        case 2 -> c.setTarget(Compare.CompareTarget.MOD).setModRevision(someRev);
        case 3 -> c.setTarget(Compare.CompareTarget.LEASE).setLease(rnd.nextInt(2));
        default -> c.setTarget(Compare.CompareTarget.VALUE).setValue(value());
      }
      return c.build();
    }

    List<RequestOp> ops(Model m) {
      List<RequestOp> ops = new ArrayList<>();
      int n = rnd.nextInt(4);
      for (int i = 0; i < n; i++) {
        switch (rnd.nextInt(3)) {
          case 0 -> ops.add(RequestOp.newBuilder().setRequestPut(put()).build());
          case 1 -> ops.add(RequestOp.newBuilder().setRequestDeleteRange(delete()).build());
          default -> {
            ByteString[] r = range();
            long at = rnd.nextInt(3) == 0 ? rnd.nextInt((int) m.rev + 1) : 0;
            ops.add(
                RequestOp.newBuilder()
                    .setRequestRange(
                        RangeRequest.newBuilder().setKey(r[0]).setRangeEnd(r[1]).setRevision(at))
                    .build());
          }
        }
      }
      return ops;
    }

    Command next(Model m) {
      int dice = rnd.nextInt(100);
      Command.Builder c = Command.newBuilder().setProposedAtMs(1_000 + step++);
      if (dice < 40) {
        return c.setPut(put()).build();
      }
      if (dice < 60) {
        return c.setDeleteRange(delete()).build();
      }
      if (dice < 94) {
        TxnRequest.Builder t = TxnRequest.newBuilder();
        int compares = rnd.nextInt(3);
        for (int i = 0; i < compares; i++) {
          t.addCompare(compare(m));
        }
        return c.setTxn(t.addAllSuccess(ops(m)).addAllFailure(ops(m))).build();
      }
      // mostly valid compactions, sometimes stale or future ones
      long at =
          rnd.nextInt(4) == 0
              ? rnd.nextInt((int) m.rev + 3)
              : m.compact + 1 + rnd.nextInt((int) Math.max(1, m.rev - m.compact));
      return c.setCompact(CompactionRequest.newBuilder().setRevision(at)).build();
    }
  }

  // ---- the test ------------------------------------------------------------------------------

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void storeAgreesWithTheModel(long seed) {
    Gen gen = new Gen(seed);
    Model m = new Model();
    int compactions = 0;
    int txns = 0;
    try (CoreHarness h = CoreHarness.open(dir)) {
      for (int step = 0; step < STEPS; ) {
        int perEntry = 1 + (gen.rnd.nextInt(4) == 0 ? gen.rnd.nextInt(4) : 0);
        List<Command> cmds = new ArrayList<>();
        for (int i = 0; i < perEntry; i++, step++) {
          cmds.add(gen.next(m));
        }
        ApplyResult r = h.applyEntry(cmds.toArray(Command[]::new));
        for (int i = 0; i < cmds.size(); i++) {
          Command c = cmds.get(i);
          long before = m.compact;
          m.check(c, r.results().get(i));
          compactions += m.compact != before ? 1 : 0;
          txns += c.hasTxn() && !r.results().get(i).hasError() ? 1 : 0;
        }
        assertThat(h.revision()).isEqualTo(m.rev);
        assertThat(h.store().compactRevision()).isEqualTo(m.compact);
        assertThat(readAll(h, 0)).isEqualTo(Model.range(m.live, bytes(), bytes(0)));
        if (step % 10 == 0) {
          checkPast(h, m, gen.rnd);
        }
      }
      // every retained revision reads as it was, also after a restart
      checkAllRevisions(h, m);
      h.reopen();
      checkAllRevisions(h, m);
    }
    // the seeds exercise what they should
    assertThat(m.rev).isGreaterThan(STEPS / 3);
    assertThat(compactions).isPositive();
    assertThat(txns).isGreaterThan(STEPS / 10);
  }

  private static List<KeyValue> readAll(CoreHarness h, long rev) {
    RangeResponse r =
        h.range(RangeRequest.newBuilder().setKey(bytes()).setRangeEnd(bytes(0)).setRevision(rev));
    assertThat(r.getCount()).isEqualTo(r.getKvsCount());
    return r.getKvsList();
  }

  private static void checkPast(CoreHarness h, Model m, Random rnd) {
    for (int i = 0; i < 3; i++) {
      long rev = rnd.nextInt((int) m.rev + 1);
      if (rev == 0) {
        continue;
      }
      if (rev < m.compact) {
        assertThatThrownBy(() -> readAll(h, rev))
            .isInstanceOfSatisfying(
                StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_RANGE))
            .hasMessageContaining("compact revision " + m.compact);
      } else {
        ByteString k = KEYS.get(rnd.nextInt(KEYS.size()));
        assertThat(readAll(h, rev))
            .as("rev %d", rev)
            .isEqualTo(Model.range(m.at(rev), bytes(), bytes(0)));
        RangeResponse one = h.range(RangeRequest.newBuilder().setKey(k).setRevision(rev));
        assertThat(one.getKvsList()).isEqualTo(Model.range(m.at(rev), k, ByteString.EMPTY));
      }
    }
  }

  private static void checkAllRevisions(CoreHarness h, Model m) {
    for (long rev = Math.max(1, m.compact); rev <= m.rev; rev++) {
      assertThat(readAll(h, rev))
          .as("rev %d", rev)
          .isEqualTo(Model.range(m.at(rev), bytes(), bytes(0)));
    }
    if (m.compact > 1) {
      long below = m.compact - 1;
      assertThatThrownBy(() -> readAll(h, below)).isInstanceOf(StoreException.class);
    }
  }
}
