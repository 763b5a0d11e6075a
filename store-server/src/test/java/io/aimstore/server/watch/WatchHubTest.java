package io.aimstore.server.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.ResponseHeader;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.api.v1.WatchCreateRequest;
import io.aimstore.api.v1.WatchResponse;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.internal.LogEntry;
import io.aimstore.server.core.ApplyResult;
import io.aimstore.server.core.CoreHarness.Cmd;
import io.aimstore.server.core.CoreHarness.Ops;
import io.aimstore.server.core.Limits;
import io.aimstore.server.core.RevisionEvents;
import io.aimstore.server.core.Store;
import io.aimstore.server.storage.RocksBackend;
import io.aimstore.server.storage.StorageOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch hub against a real {@link Store} on RocksDB: applied entries are published to the hub
 * as apply does, streams send to recording sinks whose readiness the test controls. Every delivered
 * sequence is compared with a model computed from the applied entries' own events.
 */
class WatchHubTest {
  private static final ByteString ALL = ByteString.copyFrom(new byte[] {0});
  private static final WatchSettings FAST = new WatchSettings(1024, 1000, Duration.ofSeconds(60));

  @TempDir Path dir;

  private final List<RocksBackend> backends = new ArrayList<>();
  private final List<WatchStream> streams = new ArrayList<>();
  private Store store;
  private long index;
  private volatile Store historyStore;

  /** Every revision of {@link #store}, as apply reported it: the model watchers are checked on. */
  private final List<RevisionEvents> all = new CopyOnWriteArrayList<>();

  private final AtomicInteger slowCount = new AtomicInteger();
  private final AtomicInteger overflowCount = new AtomicInteger();
  private WatchHub hub;

  @BeforeEach
  void openStore() throws IOException {
    store = openStore("store");
    historyStore = store;
  }

  @AfterEach
  void close() {
    if (hub != null) {
      hub.close();
    }
    backends.forEach(RocksBackend::close);
  }

  private Store openStore(String name) throws IOException {
    RocksBackend b = RocksBackend.open(dir.resolve(name), StorageOptions.DEFAULT);
    backends.add(b);
    return new Store(b, Limits.DEFAULT);
  }

  private WatchHub startHub(WatchSettings settings) {
    hub =
        new WatchHub(
            (from, key, end, max) -> historyStore.history(from, key, end, max),
            store.revision(),
            rev -> ResponseHeader.newBuilder().setRevision(rev).setMemberName("test").build(),
            settings,
            new WatchMetrics() {
              @Override
              public void slow() {
                slowCount.incrementAndGet();
              }

              @Override
              public void backlogOverflowed() {
                overflowCount.incrementAndGet();
              }
            });
    return hub;
  }

  private WatchStream open(Sink sink) {
    WatchStream s = hub.openStream(sink);
    streams.add(s);
    return s;
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(5));
  }

  // ---- applying ------------------------------------------------------------------------------

  /** Applies the commands as one log entry without telling the hub; returns its revisions. */
  private List<RevisionEvents> apply(Store target, List<RevisionEvents> model, Command... cmds) {
    LogEntry.Builder e = LogEntry.newBuilder();
    for (Command c : cmds) {
      e.addCommands(c.toBuilder().setProposedAtMs(1_700_000_000_000L + index));
    }
    ApplyResult r = target.apply(e.build(), 1, target.appliedIndex() + 1);
    for (CommandResult cr : r.results()) {
      assertThat(cr.hasError()).as("command failed: %s", cr).isFalse();
    }
    model.addAll(r.events());
    return r.events();
  }

  private List<RevisionEvents> apply(Command... cmds) {
    index++;
    return apply(store, all, cmds);
  }

  /** Applies the commands as one log entry and publishes its events, as the node does. */
  private List<RevisionEvents> write(Command... cmds) {
    List<RevisionEvents> events = apply(cmds);
    hub.publish(events);
    return events;
  }

  private static ByteString bs(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  private static Command txn(RequestOp... ops) {
    return Cmd.txn(TxnRequest.newBuilder().addAllSuccess(List.of(ops)));
  }

  /**
   * A random mix of puts, deletes, range deletes and multi-key transactions on keys under /a/, /b/
   * and "c", one to three commands per entry (as group commit makes them).
   */
  private static Command[] randomEntry(Random rnd, int i) {
    int n = 1 + rnd.nextInt(3);
    Command[] cmds = new Command[n];
    for (int c = 0; c < n; c++) {
      int kind = rnd.nextInt(10);
      String key = randomKey(rnd);
      if (kind < 6) {
        cmds[c] = Cmd.put(key, "v" + i + "." + c);
      } else if (kind == 6) {
        cmds[c] = Cmd.delete(key);
      } else if (kind == 7) {
        cmds[c] = Cmd.deleteRange("/b/", "/b/3");
      } else {
        String other = key.startsWith("/a/") ? "/b/" + rnd.nextInt(5) : "/a/" + rnd.nextInt(5);
        cmds[c] =
            txn(
                Ops.put(key, "t" + i + "." + c),
                Ops.put(other, "u" + i + "." + c),
                Ops.delete(key.equals("c") ? "/b/4" : "c"));
      }
    }
    return cmds;
  }

  private static String randomKey(Random rnd) {
    return switch (rnd.nextInt(3)) {
      case 0 -> "/a/" + rnd.nextInt(5);
      case 1 -> "/b/" + rnd.nextInt(5);
      default -> "c";
    };
  }

  // ---- watch requests ------------------------------------------------------------------------

  private static WatchCreateRequest.Builder watchKey(long id, String key) {
    return WatchCreateRequest.newBuilder().setWatchId(id).setKey(bs(key));
  }

  private static WatchCreateRequest.Builder watchRange(long id, String key, String end) {
    return WatchCreateRequest.newBuilder().setWatchId(id).setKey(bs(key)).setRangeEnd(bs(end));
  }

  private static WatchCreateRequest.Builder watchPrefix(long id, String prefix) {
    byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
    end[end.length - 1]++;
    return WatchCreateRequest.newBuilder()
        .setWatchId(id)
        .setKey(bs(prefix))
        .setRangeEnd(ByteString.copyFrom(end));
  }

  private static WatchCreateRequest.Builder watchAll(long id) {
    return WatchCreateRequest.newBuilder().setWatchId(id).setKey(ByteString.EMPTY).setRangeEnd(ALL);
  }

  // ---- the model -----------------------------------------------------------------------------

  /** One revision as a watcher sees it. */
  record Rev(long revision, List<Event> events) {}

  /** Written independently of the hub's filter: the wire convention for ranges. */
  private static boolean inRange(ByteString start, ByteString end, ByteString key) {
    var cmp = ByteString.unsignedLexicographicalComparator();
    if (end.isEmpty()) {
      return key.equals(start);
    }
    return cmp.compare(key, start) >= 0 && (end.equals(ALL) || cmp.compare(key, end) < 0);
  }

  /** What a watch with {@code spec} must receive of {@code model}, from {@code from} on. */
  private static List<Rev> expected(
      List<RevisionEvents> model, WatchCreateRequest spec, long from) {
    boolean noPut = spec.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
    boolean noDelete = spec.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
    List<Rev> out = new ArrayList<>();
    for (RevisionEvents re : model) {
      if (re.revision() < from) {
        continue;
      }
      List<Event> events = new ArrayList<>();
      for (Event e : re.events()) {
        if (!inRange(spec.getKey(), spec.getRangeEnd(), e.getKv().getKey())) {
          continue;
        }
        if (noPut && e.getType() == Event.EventType.PUT) {
          continue;
        }
        if (noDelete && e.getType() == Event.EventType.DELETE) {
          continue;
        }
        events.add(spec.getPrevKv() ? e : e.toBuilder().clearPrevKv().build());
      }
      if (!events.isEmpty()) {
        out.add(new Rev(re.revision(), events));
      }
    }
    return out;
  }

  private List<Rev> expected(WatchCreateRequest.Builder spec, long from) {
    return expected(all, spec.build(), from);
  }

  // ---- the sink ------------------------------------------------------------------------------

  /** Records what a stream sends; ready while it has budget left (gRPC flow control). */
  static final class Sink implements ResponseSink {
    final List<WatchResponse> sent = new CopyOnWriteArrayList<>();
    final AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
    final AtomicInteger inSend = new AtomicInteger();
    final AtomicBoolean overlapped = new AtomicBoolean();
    final AtomicInteger eventsSentWhileNotReady = new AtomicInteger();
    volatile RuntimeException failOnSend;
    volatile Throwable failure;

    @Override
    public boolean isReady() {
      return budget.get() > 0;
    }

    @Override
    public void send(WatchResponse r) {
      if (inSend.incrementAndGet() > 1) {
        overlapped.set(true);
      }
      try {
        if (failOnSend != null) {
          throw failOnSend;
        }
        if (budget.get() <= 0 && r.getEventsCount() > 0) {
          eventsSentWhileNotReady.incrementAndGet();
        }
        sent.add(r);
        budget.decrementAndGet();
      } finally {
        inSend.decrementAndGet();
      }
    }

    @Override
    public void fail(Throwable error) {
      failure = error;
    }

    void block() {
      budget.set(0);
    }

    void allow(long n) {
      budget.set(n);
    }

    void unblock() {
      budget.set(Long.MAX_VALUE);
    }

    List<WatchResponse> of(long id) {
      return sent.stream().filter(r -> r.getWatchId() == id).toList();
    }

    List<Rev> events(long id) {
      return of(id).stream()
          .filter(r -> r.getEventsCount() > 0)
          .map(r -> new Rev(r.getHeader().getRevision(), r.getEventsList()))
          .toList();
    }

    List<WatchResponse> progress(long id) {
      return of(id).stream().filter(WatchResponse::getProgress).toList();
    }

    List<WatchResponse> canceled(long id) {
      return of(id).stream().filter(WatchResponse::getCanceled).toList();
    }
  }

  /**
   * Checks one watch's responses against what it must receive: "created" first; exactly the
   * expected revisions, each once, in order, each revision's events in one response; a progress
   * notification at R only after every expected revision up to R; nothing after "canceled".
   */
  private static void checkSequence(List<WatchResponse> responses, List<Rev> expected) {
    assertThat(responses).as("responses").isNotEmpty();
    assertThat(responses.get(0).getCreated()).as("first response is 'created'").isTrue();
    int delivered = 0;
    long last = 0;
    for (int i = 1; i < responses.size(); i++) {
      WatchResponse r = responses.get(i);
      assertThat(r.getCreated()).as("a second 'created' at %d", i).isFalse();
      assertThat(responses.get(i - 1).getCanceled()).as("a response after 'canceled'").isFalse();
      long rev = r.getHeader().getRevision();
      if (r.getEventsCount() > 0) {
        assertThat(rev).as("revisions increase").isGreaterThan(last);
        assertThat(delivered)
            .as("more revisions than expected: %s", rev)
            .isLessThan(expected.size());
        assertThat(new Rev(rev, r.getEventsList())).isEqualTo(expected.get(delivered));
        for (Event e : r.getEventsList()) {
          assertThat(e.getKv().getModRevision()).isEqualTo(rev);
        }
        delivered++;
        last = rev;
      } else if (r.getProgress()) {
        long upTo = rev;
        long owed = expected.stream().filter(x -> x.revision() <= upTo).count();
        assertThat(delivered)
            .as("progress at %d sent before every revision up to it was delivered", upTo)
            .isEqualTo((int) owed);
      }
    }
  }

  private boolean quiet() {
    if (hub.dispatchedRevision() < store.revision() || hub.catchingUpCount() > 0) {
      return false;
    }
    for (WatchStream s : streams) {
      for (Watcher w : s.watchers()) {
        if (w.hasQueued()) {
          return false;
        }
      }
    }
    return true;
  }

  /** Waits until the watch has at least the expected revisions and the hub has nothing pending. */
  private void awaitDelivered(Sink sink, long id, List<Rev> expected) {
    eventually().until(() -> sink.events(id).size() >= expected.size() && quiet());
  }

  // ---- tests ---------------------------------------------------------------------------------

  @Test
  void everyRevisionArrivesOnceInOrderWithAllItsEventsInOneResponse() {
    startHub(FAST);
    Sink sink = new Sink();
    WatchStream s = open(sink);
    s.create(watchPrefix(1, "/a/").build());
    s.create(watchAll(2).build());
    s.create(watchKey(3, "c").build());
    s.create(watchPrefix(4, "/b/").build());
    Random rnd = new Random(1);
    for (int i = 0; i < 400; i++) {
      write(randomEntry(rnd, i));
    }
    List<Rev> a = expected(watchPrefix(1, "/a/"), 1);
    List<Rev> everything = expected(watchAll(2), 1);
    awaitDelivered(sink, 2, everything);
    awaitDelivered(sink, 1, a);

    checkSequence(sink.of(1), a);
    checkSequence(sink.of(2), everything);
    checkSequence(sink.of(3), expected(watchKey(3, "c"), 1));
    assertThat(everything).hasSizeGreaterThan(500);
    // transactions that touched several keys: all of a revision's events came in one response
    assertThat(sink.events(2).stream().filter(r -> r.events().size() >= 3)).hasSizeGreaterThan(20);
    // range deletes under /b/: several keys, one revision, one response
    List<Rev> b = expected(watchPrefix(4, "/b/"), 1);
    checkSequence(sink.of(4), b);
    assertThat(sink.events(4).stream().filter(r -> r.events().size() >= 2)).isNotEmpty();
    assertThat(sink.overlapped).isFalse();
  }

  /** etcd's clients match a create to its "created" response by order on the stream. */
  @Test
  void createdResponsesComeInTheOrderOfTheCreates() {
    startHub(FAST);
    Sink sink = new Sink();
    sink.block();
    WatchStream s = open(sink);
    List<Long> ids = new ArrayList<>();
    for (long id : new long[] {500, 3, 77, 1_000_000, 12, 9, 4096, 1, 250, 33}) {
      s.create(watchKey(id, "k" + id).build());
      ids.add(id);
    }
    sink.unblock();
    s.onReady();
    eventually()
        .until(() -> sink.sent.stream().filter(WatchResponse::getCreated).count() == ids.size());
    assertThat(sink.sent.stream().filter(WatchResponse::getCreated).map(WatchResponse::getWatchId))
        .containsExactlyElementsOf(ids);
  }

  @Test
  void filtersByKeyPrefixRangeAndEventTypeAndSendsPrevKvOnlyWhenAsked() {
    startHub(FAST);
    Sink sink = new Sink();
    WatchStream s = open(sink);
    List<WatchCreateRequest.Builder> specs =
        List.of(
            watchKey(1, "/p/b"),
            watchPrefix(2, "/p/"),
            watchRange(3, "/p/b", "/p/d"),
            watchPrefix(4, "/p/").addFilters(WatchCreateRequest.FilterType.NOPUT),
            watchPrefix(5, "/p/").addFilters(WatchCreateRequest.FilterType.NODELETE),
            watchPrefix(6, "/p/").setPrevKv(true),
            watchRange(7, "/p/c", "\0").setRangeEnd(ALL),
            watchKey(8, "/p/b").setPrevKv(true).addFilters(WatchCreateRequest.FilterType.NODELETE));
    specs.forEach(spec -> s.create(spec.build()));

    write(Cmd.put("/p/a", "1"));
    write(Cmd.put("/p/b", "1"));
    write(Cmd.put("/p/b", "2"));
    write(Cmd.put("/p/c", "1"), Cmd.put("/p/d", "1"), Cmd.put("/q", "1"));
    write(txn(Ops.put("/p/a", "2"), Ops.put("/p/c", "2"), Ops.put("/p/e", "1")));
    write(Cmd.delete("/p/b"));
    write(Cmd.deleteRange("/p/", "/p/z"));
    write(Cmd.put("/p/b", "3"));
    write(Cmd.put("/pp", "x"));

    for (var spec : specs) {
      List<Rev> want = expected(spec, 1);
      awaitDelivered(sink, spec.getWatchId(), want);
      checkSequence(sink.of(spec.getWatchId()), want);
    }
    // spot checks that do not rely on the model
    assertThat(sink.events(1)).extracting(Rev::revision).containsExactly(2L, 3L, 8L, 10L);
    assertThat(sink.events(3).stream().flatMap(r -> r.events().stream()))
        .extracting(e -> e.getKv().getKey().toStringUtf8())
        .containsOnly("/p/b", "/p/c");
    assertThat(sink.events(4).stream().flatMap(r -> r.events().stream()))
        .extracting(Event::getType)
        .containsOnly(Event.EventType.DELETE);
    assertThat(sink.events(5).stream().flatMap(r -> r.events().stream()))
        .extracting(Event::getType)
        .containsOnly(Event.EventType.PUT);
    assertThat(sink.events(2).stream().flatMap(r -> r.events().stream()))
        .noneMatch(Event::hasPrevKv)
        .noneMatch(e -> e.getKv().getKey().toStringUtf8().equals("/pp"));
    assertThat(sink.events(6).stream().flatMap(r -> r.events().stream()).filter(Event::hasPrevKv))
        .isNotEmpty();
    Event overwrite = sink.events(8).get(1).events().get(0);
    assertThat(overwrite.getKv().getValue().toStringUtf8()).isEqualTo("2");
    assertThat(overwrite.getPrevKv().getValue().toStringUtf8()).isEqualTo("1");
    // the range delete at revision 9 deleted four keys in one revision: one response
    assertThat(sink.events(4).stream().filter(r -> r.revision() == 9).toList())
        .singleElement()
        .satisfies(r -> assertThat(r.events()).hasSize(4));
    assertThat(sink.events(7).stream().flatMap(r -> r.events().stream()))
        .extracting(e -> e.getKv().getKey().toStringUtf8())
        .contains("/q", "/pp")
        .doesNotContain("/p/a", "/p/b");
  }

  @Test
  void catchUpFromStorageDeliversExactlyWhatTheLiveFeedDelivered() {
    startHub(new WatchSettings(1024, 7, Duration.ofSeconds(60)));
    Sink live = new Sink();
    WatchStream ls = open(live);
    List<WatchCreateRequest.Builder> specs =
        List.of(
            watchAll(1),
            watchAll(2).setPrevKv(true),
            watchPrefix(3, "/a/").setPrevKv(true),
            watchPrefix(4, "/b/").addFilters(WatchCreateRequest.FilterType.NOPUT).setPrevKv(true),
            watchKey(5, "c"));
    specs.forEach(spec -> ls.create(spec.build()));
    Random rnd = new Random(2);
    for (int i = 0; i < 300; i++) {
      write(randomEntry(rnd, i));
    }
    for (var spec : specs) {
      awaitDelivered(live, spec.getWatchId(), expected(spec, 1));
    }

    Sink late = new Sink();
    WatchStream ps = open(late);
    specs.forEach(spec -> ps.create(spec.clone().setStartRevision(1).build()));
    for (var spec : specs) {
      awaitDelivered(late, spec.getWatchId(), expected(spec, 1));
      checkSequence(late.of(spec.getWatchId()), expected(spec, 1));
      assertThat(late.events(spec.getWatchId()))
          .as("watch %d from storage vs live", spec.getWatchId())
          .isEqualTo(live.events(spec.getWatchId()));
    }
  }

  @Test
  void createdCarriesTheRevisionBeforeTheFirstOneTheWatchCovers() {
    startHub(FAST);
    for (int i = 0; i < 10; i++) {
      write(Cmd.put("k" + i, "v"));
    }
    eventually().until(() -> hub.dispatchedRevision() == 10);
    Sink sink = new Sink();
    WatchStream s = open(sink);
    s.create(watchKey(1, "k3").build());
    s.create(watchKey(2, "k3").setStartRevision(4).build());
    s.create(watchKey(3, "k3").setStartRevision(15).build());
    s.create(watchKey(0, "k3").build());
    s.create(watchKey(0, "k3").build());
    write(Cmd.put("k3", "x")); // 11
    for (int i = 12; i <= 16; i++) {
      write(Cmd.put("k3", "y" + i));
    }
    eventually().until(() -> sink.events(3).size() == 2 && quiet());

    assertThat(sink.of(1).get(0).getCreated()).isTrue();
    assertThat(sink.of(1).get(0).getHeader().getRevision()).isEqualTo(10);
    assertThat(sink.of(2).get(0).getHeader().getRevision()).isEqualTo(3);
    assertThat(sink.events(1))
        .extracting(Rev::revision)
        .containsExactly(11L, 12L, 13L, 14L, 15L, 16L);
    assertThat(sink.events(2))
        .extracting(Rev::revision)
        .containsExactly(4L, 11L, 12L, 13L, 14L, 15L, 16L);
    assertThat(sink.events(3)).extracting(Rev::revision).containsExactly(15L, 16L);
    // id 0: the stream chooses unused ids (4 and 5: 1..3 are taken)
    assertThat(sink.sent.stream().filter(WatchResponse::getCreated).map(WatchResponse::getWatchId))
        .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
    assertThat(sink.events(4))
        .extracting(Rev::revision)
        .containsExactly(11L, 12L, 13L, 14L, 15L, 16L);
  }

  @Test
  void aWatchFromThePastCatchesUpThenGoesLiveWithoutGapOrDuplicateWhileWritesContinue()
      throws Exception {
    startHub(new WatchSettings(64, 5, Duration.ofSeconds(60)));
    for (int i = 0; i < 300; i++) {
      write(Cmd.put("/a/" + (i % 7), "v" + i));
    }
    Sink sink = new Sink();
    WatchStream s = open(sink);
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer =
        new Thread(
            () -> {
              for (int i = 300; i < 900 && !stop.get(); i++) {
                write(i % 5 == 0 ? Cmd.delete("/a/" + (i % 7)) : Cmd.put("/a/" + (i % 7), "v" + i));
              }
            });
    writer.start();
    s.create(watchPrefix(1, "/a/").setStartRevision(100).build());
    s.create(watchPrefix(2, "/a/").setStartRevision(1).setPrevKv(true).build());
    writer.join(30_000);
    stop.set(true);
    assertThat(writer.isAlive()).isFalse();

    List<Rev> from100 = expected(watchPrefix(1, "/a/"), 100);
    List<Rev> from1 = expected(watchPrefix(2, "/a/").setPrevKv(true), 1);
    awaitDelivered(sink, 1, from100);
    awaitDelivered(sink, 2, from1);
    checkSequence(sink.of(1), from100);
    checkSequence(sink.of(2), from1);
    assertThat(sink.events(1)).extracting(Rev::revision).first().isEqualTo(100L);
    assertThat(sink.events(1)).hasSize((int) store.revision() - 99);
  }

  @Test
  void
      aWatchThatCatchesUpWhileStorageIsAheadOfTheDispatcherGetsNoRevisionTwiceAndTruthfulProgress() {
    startHub(new WatchSettings(64, 1000, Duration.ofSeconds(60)));
    for (int i = 0; i < 20; i++) {
      write(Cmd.put("k", "v" + i));
    }
    eventually().until(() -> hub.dispatchedRevision() == 20);
    // applied but not yet handed to the hub: storage is ahead of the dispatcher, as when the
    // dispatcher lags behind apply
    List<List<RevisionEvents>> pending = new ArrayList<>();
    for (int i = 20; i < 40; i++) {
      pending.add(apply(Cmd.put("k", "v" + i)));
    }
    Sink sink = new Sink();
    WatchStream s = open(sink);
    s.create(watchKey(1, "k").setStartRevision(5).build());
    eventually()
        .until(
            () ->
                hub.catchingUpCount() == 0
                    && !s.watchers().get(0).hasQueued()
                    && sink.events(1).size() >= 16);
    s.progress(); // answered at the dispatched revision, 20
    eventually().until(() -> sink.progress(1).size() == 1);
    pending.forEach(hub::publish);
    write(Cmd.put("k", "last"));
    List<Rev> want = expected(watchKey(1, "k"), 5);
    awaitDelivered(sink, 1, want);
    // no progress note below a revision already sent, and every revision once
    checkSequence(sink.of(1), want);
    assertThat(sink.progress(1).get(0).getHeader().getRevision()).isEqualTo(20);
  }

  @Test
  void aSlowWatcherIsMovedToCatchUpAndDoesNotHoldUpAWatcherOnAnotherStream() {
    WatchSettings settings = new WatchSettings(16, 10, Duration.ofSeconds(60));
    startHub(settings);
    Sink fast = new Sink();
    Sink slow = new Sink();
    slow.block();
    WatchStream fs = open(fast);
    WatchStream ss = open(slow);
    fs.create(watchAll(1).build());
    ss.create(watchAll(1).build());
    ss.create(watchPrefix(2, "/a/").build());

    Random rnd = new Random(3);
    long start = System.nanoTime();
    for (int i = 0; i < 300; i++) {
      write(randomEntry(rnd, i));
    }
    List<Rev> everything = expected(watchAll(1), 1);
    eventually().until(() -> fast.events(1).size() >= everything.size());
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(tookMs).as("the fast watcher was not held up").isLessThan(5_000);
    checkSequence(fast.of(1), everything);

    // the slow watchers were moved to catch-up; their queues stay bounded
    assertThat(slowCount.get()).isGreaterThanOrEqualTo(2);
    assertThat(slow.sent).isEmpty();
    assertThat(hub.dispatchedRevision()).isEqualTo(store.revision());
    for (Watcher w : ss.watchers()) {
      assertThat(w.queuedEvents())
          .isLessThanOrEqualTo(settings.bufferRevisions() + settings.catchUpBatchEvents());
    }

    slow.unblock();
    ss.onReady();
    awaitDelivered(slow, 1, everything);
    awaitDelivered(slow, 2, expected(watchPrefix(2, "/a/"), 1));
    checkSequence(slow.of(1), everything);
    checkSequence(slow.of(2), expected(watchPrefix(2, "/a/"), 1));
    assertThat(slow.eventsSentWhileNotReady).hasValue(0);
  }

  @Test
  void aWatcherThatFallsBehindInTheMiddleOfABatchIsMovedToCatchUpOnce() {
    startHub(new WatchSettings(4, 1000, Duration.ofSeconds(60)));
    Sink sink = new Sink();
    sink.block();
    WatchStream s = open(sink);
    s.create(watchAll(1).build());
    Command[] entry = new Command[30];
    for (int i = 0; i < entry.length; i++) {
      entry[i] = Cmd.put("k" + i, "v");
    }
    write(entry); // one entry, 30 revisions: one batch for the hub
    eventually().until(() -> hub.dispatchedRevision() == 30 && hub.catchingUpCount() == 0);
    assertThat(slowCount).hasValue(1);
    sink.unblock();
    s.onReady();
    List<Rev> want = expected(watchAll(1), 1);
    awaitDelivered(sink, 1, want);
    checkSequence(sink.of(1), want);
  }

  @Test
  void aWatcherThatIsRepeatedlySlowGetsEveryRevisionOnceInOrderAndTruthfulProgress() {
    startHub(new WatchSettings(8, 4, Duration.ofSeconds(60)));
    Sink fast = new Sink();
    Sink slow = new Sink();
    slow.block();
    WatchStream fs = open(fast);
    WatchStream ss = open(slow);
    List<WatchCreateRequest.Builder> specs =
        List.of(watchAll(1), watchPrefix(2, "/a/").setPrevKv(true), watchKey(3, "c"));
    for (var spec : specs) {
      fs.create(spec.build());
      ss.create(spec.build());
    }
    Random rnd = new Random(4);
    for (int i = 0; i < 600; i++) {
      write(randomEntry(rnd, i));
      if (i % 3 == 0) {
        slow.allow(2);
        ss.onReady();
      }
      if (i % 40 == 0) {
        ss.progress();
        fs.progress();
      }
    }
    eventually().until(() -> hub.dispatchedRevision() == store.revision());
    slow.unblock();
    ss.onReady();
    ss.progress();
    for (var spec : specs) {
      List<Rev> want = expected(spec, 1);
      awaitDelivered(slow, spec.getWatchId(), want);
      awaitDelivered(fast, spec.getWatchId(), want);
      checkSequence(slow.of(spec.getWatchId()), want);
      checkSequence(fast.of(spec.getWatchId()), want);
      assertThat(slow.progress(spec.getWatchId())).isNotEmpty();
    }
    assertThat(slowCount.get()).as("the slow path was exercised").isGreaterThan(5);
    assertThat(slow.overlapped).isFalse();
  }

  /** Repeated: "canceled" used to race the queued "created" (about one run in forty). */
  @RepeatedTest(25)
  void aWatchFromACompactedRevisionIsCanceledOnceWithTheCompactRevision() {
    startHub(FAST);
    for (int i = 0; i < 50; i++) {
      write(Cmd.put("k" + (i % 3), "v" + i));
    }
    write(Cmd.compact(30));
    // (a watch registered before the dispatcher reaches its start revision is served from the
    // live feed, which still has every event: here the start is in the dispatched past)
    eventually().until(() -> hub.dispatchedRevision() == 50);
    Sink sink = new Sink();
    WatchStream s = open(sink);
    for (long id = 1; id <= 50; id++) {
      s.create(watchPrefix(id, "k").setStartRevision(id % 2 == 0 ? 10 : 29).build());
    }
    s.create(watchPrefix(100, "k").setStartRevision(30).build());
    eventually().until(() -> sink.canceled(50).size() == 1 && quiet());
    write(Cmd.put("k1", "after"));
    awaitDelivered(sink, 100, expected(watchPrefix(100, "k"), 30));

    for (long id = 1; id <= 50; id++) {
      List<WatchResponse> rs = sink.of(id);
      assertThat(rs.stream().filter(r -> r.getEventsCount() > 0)).as("watch %d", id).isEmpty();
      assertThat(sink.canceled(id)).as("watch %d", id).singleElement();
      WatchResponse c = sink.canceled(id).get(0);
      assertThat(c.getCompactRevision()).isEqualTo(30);
      assertThat(c.getCancelReason()).contains("compacted");
      assertThat(rs.get(rs.size() - 1)).as("nothing after 'canceled' for %d", id).isEqualTo(c);
    }
    // the canceled watches are gone: their ids can be used again
    assertThat(s.watchers()).extracting(w -> w.id).containsExactly(100L);
    assertThat(hub.watcherCount()).isEqualTo(1);
    s.create(watchKey(7, "k1").build());
    write(Cmd.put("k1", "again"));
    eventually().until(() -> sink.events(7).size() == 1);
    assertThat(sink.canceled(7)).singleElement();
    checkSequence(sink.of(100), expected(watchPrefix(100, "k"), 30));
  }

  @Test
  void aWatchCatchingUpWhenItsNextRevisionIsCompactedIsCanceledWithTheCompactRevision() {
    startHub(new WatchSettings(8, 4, Duration.ofSeconds(60)));
    for (int i = 0; i < 100; i++) {
      write(Cmd.put("k", "v" + i));
    }
    eventually().until(() -> hub.dispatchedRevision() == 100);
    Sink sink = new Sink();
    sink.allow(7); // "created" and six revisions
    WatchStream s = open(sink);
    s.create(watchKey(1, "k").setStartRevision(1).build());
    Watcher w = s.watchers().get(0);
    eventually().until(() -> sink.sent.size() == 7 && w.queuedEvents() >= 4);
    assertThat(hub.catchingUpCount()).isEqualTo(1);

    write(Cmd.compact(50));
    sink.unblock();
    s.onReady();
    eventually().until(() -> sink.canceled(1).size() == 1 && hub.watcherCount() == 0);

    List<WatchResponse> rs = sink.of(1);
    List<Rev> events = sink.events(1);
    assertThat(events.size()).isGreaterThanOrEqualTo(6).isLessThan(50);
    assertThat(events)
        .extracting(Rev::revision)
        .isEqualTo(LongStream.rangeClosed(1, events.size()).boxed().toList());
    WatchResponse c = sink.canceled(1).get(0);
    assertThat(c.getCompactRevision()).isEqualTo(50);
    assertThat(rs.get(rs.size() - 1)).as("nothing after 'canceled'").isEqualTo(c);
    checkSequence(rs, expected(watchKey(1, "k"), 1));
  }

  @Test
  void aProgressRequestIsAnsweredWithARevisionUpToWhichEverythingWasDelivered() {
    startHub(new WatchSettings(8, 3, Duration.ofSeconds(60)));
    Sink sink = new Sink();
    WatchStream s = open(sink);
    s.create(watchKey(1, "/x").build());
    s.create(watchPrefix(2, "/y").build());
    for (int i = 0; i < 20; i++) {
      write(Cmd.put("/y" + i, "v"));
    }
    eventually().until(this::quiet);
    s.progress();
    eventually().until(() -> sink.progress(1).size() == 1 && sink.progress(2).size() == 1);
    assertThat(sink.progress(1).get(0).getHeader().getRevision()).isEqualTo(20);
    assertThat(sink.progress(2).get(0).getHeader().getRevision()).isEqualTo(20);
    checkSequence(sink.of(2), expected(watchPrefix(2, "/y"), 1));

    // a watch still catching up answers with how far it has got, not with the current revision
    Sink blocked = new Sink();
    blocked.allow(3);
    WatchStream bs = open(blocked);
    bs.create(watchPrefix(3, "/y").setStartRevision(1).build());
    Watcher w = bs.watchers().get(0);
    eventually().until(() -> blocked.sent.size() == 3 && w.queuedEvents() >= 4);
    assertThat(hub.catchingUpCount()).isEqualTo(1);
    bs.progress();
    write(Cmd.put("/y", "more"));
    blocked.unblock();
    bs.onReady();
    List<Rev> want = expected(watchPrefix(3, "/y"), 1);
    awaitDelivered(blocked, 3, want);
    assertThat(blocked.progress(3)).singleElement();
    assertThat(blocked.progress(3).get(0).getHeader().getRevision()).isBetween(2L, 19L);
    checkSequence(blocked.of(3), want);
  }

  @Test
  void idleWatchersThatAskedForProgressGetItPeriodicallyAndOthersDoNot() {
    startHub(new WatchSettings(1024, 1000, Duration.ofMillis(50)));
    Sink sink = new Sink();
    WatchStream s = open(sink);
    s.create(watchKey(1, "/idle").setProgressNotify(true).build());
    s.create(watchKey(2, "/idle").build());
    s.create(watchKey(3, "/also-idle").setProgressNotify(true).build());
    eventually().until(() -> sink.progress(1).size() >= 3);
    for (int i = 0; i < 5; i++) {
      write(Cmd.put("/other", "v" + i));
    }
    eventually()
        .until(
            () ->
                sink.progress(1).stream()
                    .anyMatch(r -> r.getHeader().getRevision() == store.revision()));
    assertThat(sink.progress(2)).isEmpty();
    assertThat(sink.progress(1))
        .extracting(r -> r.getHeader().getRevision())
        .isSorted()
        .contains(0L, 5L);
    checkSequence(sink.of(1), List.of());
    checkSequence(sink.of(3), List.of());
  }

  @Test
  void aCanceledWatchGetsOneCanceledResponseAndNothingAfterIt() {
    startHub(FAST);
    Sink sink = new Sink();
    WatchStream s = open(sink);
    s.create(watchKey(1, "k").build());
    s.create(watchKey(2, "k").build());
    write(Cmd.put("k", "1"));
    eventually().until(() -> sink.events(1).size() == 1 && sink.events(2).size() == 1);
    s.cancel(1);
    eventually().until(() -> sink.canceled(1).size() == 1);
    assertThat(hub.watcherCount()).isEqualTo(1);
    write(Cmd.put("k", "2"));
    write(Cmd.put("k", "3"));
    awaitDelivered(sink, 2, expected(watchKey(2, "k"), 1));
    List<WatchResponse> rs = sink.of(1);
    assertThat(rs).hasSize(3);
    assertThat(rs.get(2).getCanceled()).isTrue();
    assertThat(rs.get(2).getCancelReason()).contains("client");
    s.cancel(1); // again: nothing
    s.cancel(99); // unknown: nothing
    checkSequence(sink.of(2), expected(watchKey(2, "k"), 1));
    assertThat(sink.canceled(1)).hasSize(1);
  }

  @Test
  void aCancelWhileTheReceiverIsNotReadyComesAfterWhatWasQueuedAndFreesTheId() {
    startHub(FAST);
    Sink sink = new Sink();
    WatchStream s = open(sink);
    s.create(watchKey(1, "k").build());
    eventually().until(() -> sink.sent.size() == 1);
    sink.block();
    write(Cmd.put("k", "1"));
    write(Cmd.put("k", "2"));
    eventually().until(() -> s.watchers().get(0).queuedEvents() == 2);
    s.cancel(1);
    s.create(watchKey(1, "k").build()); // too early: the cancel has not reached the client
    write(Cmd.put("k", "3"));
    eventually().until(() -> sink.canceled(1).size() == 1); // the refusal, sent at once
    assertThat(sink.canceled(1).get(0).getCancelReason()).contains("already in use");
    sink.unblock();
    s.onReady();
    eventually().until(() -> sink.canceled(1).size() == 2 && s.watchers().isEmpty());
    List<WatchResponse> rs = sink.of(1);
    assertThat(rs).hasSize(5);
    assertThat(rs.get(4).getCanceled()).isTrue();
    assertThat(rs.get(4).getCancelReason()).contains("client");
    assertThat(sink.events(1)).extracting(Rev::revision).containsExactly(1L, 2L);
    assertThat(hub.watcherCount()).isZero();
    s.create(watchKey(1, "k").build()); // now the id is free
    write(Cmd.put("k", "4"));
    eventually().until(() -> sink.events(1).size() == 3);
    assertThat(sink.events(1).get(2).revision()).isEqualTo(4);
  }

  @Test
  void aDuplicateWatchIdIsRefusedAndTheFirstWatchGoesOn() {
    startHub(FAST);
    Sink sink = new Sink();
    WatchStream s = open(sink);
    s.create(watchKey(5, "k").build());
    s.create(watchKey(5, "other").build());
    s.create(watchKey(-1, "k").build());
    eventually().until(() -> sink.canceled(5).size() == 1 && sink.canceled(-1).size() == 1);
    assertThat(sink.canceled(5).get(0).getCancelReason()).contains("already in use");
    assertThat(sink.canceled(-1).get(0).getCancelReason()).contains(">= 0");
    assertThat(hub.watcherCount()).isEqualTo(1);
    write(Cmd.put("other", "1"));
    write(Cmd.put("k", "1"));
    awaitDelivered(sink, 5, expected(watchKey(5, "k"), 1));
    assertThat(sink.events(5)).extracting(Rev::revision).containsExactly(2L);
    assertThat(sink.of(5).stream().filter(WatchResponse::getCreated)).hasSize(1);
  }

  @Test
  void aResetMovesWatchersToCatchUpFromTheNewStoreWithoutGapOrDuplicate() throws IOException {
    startHub(new WatchSettings(16, 5, Duration.ofSeconds(60)));
    Sink sink = new Sink();
    WatchStream s = open(sink);
    s.create(watchAll(1).setPrevKv(true).build());
    s.create(watchPrefix(2, "/a/").build());
    Sink slow = new Sink();
    slow.block();
    WatchStream ss = open(slow);
    ss.create(watchAll(3).build());
    Random rnd = new Random(5);
    List<Command[]> log = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      log.add(randomEntry(rnd, i));
      write(log.get(i));
    }
    // a leader's snapshot: the same log applied further, installed in place of the store
    Store installed = openStore("installed");
    List<RevisionEvents> installedModel = new ArrayList<>();
    for (int i = 0; i < 180; i++) {
      if (i >= log.size()) {
        log.add(randomEntry(rnd, i));
      }
      apply(installed, installedModel, log.get(i));
    }
    assertThat(installedModel.subList(0, all.size())).isEqualTo(all);
    eventually().until(() -> hub.dispatchedRevision() == store.revision());
    store = installed;
    all.clear();
    all.addAll(installedModel);
    historyStore = installed;
    hub.reset(installed.revision());
    for (int i = 180; i < 250; i++) {
      write(randomEntry(rnd, i));
    }
    slow.unblock();
    ss.onReady();
    for (var spec : List.of(watchAll(1).setPrevKv(true), watchPrefix(2, "/a/"), watchAll(3))) {
      List<Rev> want = expected(spec, 1);
      Sink target = spec.getWatchId() == 3 ? slow : sink;
      awaitDelivered(target, spec.getWatchId(), want);
      checkSequence(target.of(spec.getWatchId()), want);
    }
  }

  @Test
  void aWatchStartingAfterTheCurrentRevisionStillStartsThereAfterAReset() {
    startHub(FAST);
    for (int i = 0; i < 10; i++) {
      write(Cmd.put("k", "v" + i));
    }
    eventually().until(() -> hub.dispatchedRevision() == 10);
    Sink sink = new Sink();
    WatchStream s = open(sink);
    // a client resuming at revision 16 on a member that has only applied up to 10
    s.create(watchKey(1, "k").setStartRevision(16).build());
    s.create(watchKey(2, "k").setStartRevision(16).setProgressNotify(true).build());
    eventually().until(() -> sink.sent.size() == 2);
    // the member installs a snapshot (here: of the same revision) and applies on from there
    hub.reset(store.revision());
    eventually().until(() -> hub.catchingUpCount() == 0);
    for (int i = 10; i < 20; i++) {
      write(Cmd.put("k", "v" + i));
    }
    List<Rev> want = expected(watchKey(1, "k"), 16);
    awaitDelivered(sink, 1, want);
    awaitDelivered(sink, 2, want);
    assertThat(sink.events(1)).extracting(Rev::revision).containsExactly(16L, 17L, 18L, 19L, 20L);
    checkSequence(sink.of(1), want);
    checkSequence(sink.of(2), want);
  }

  @Test
  void aClosedStreamLeavesTheHubAndAFailingSinkClosesItsStream() {
    startHub(FAST);
    Sink a = new Sink();
    Sink b = new Sink();
    WatchStream as = open(a);
    WatchStream bs = open(b);
    as.create(watchKey(1, "k").build());
    as.create(watchKey(2, "k").build());
    bs.create(watchKey(1, "k").build());
    write(Cmd.put("k", "1"));
    eventually().until(() -> a.events(2).size() == 1 && b.events(1).size() == 1);
    assertThat(hub.watcherCount()).isEqualTo(3);
    assertThat(hub.streamCount()).isEqualTo(2);

    as.close();
    assertThat(hub.watcherCount()).isEqualTo(1);
    assertThat(hub.streamCount()).isEqualTo(1);
    b.failOnSend = new IllegalStateException("peer went away");
    write(Cmd.put("k", "2"));
    eventually().until(() -> b.failure != null && hub.streamCount() == 0);
    assertThat(b.failure).hasMessageContaining("peer went away");
    assertThat(hub.watcherCount()).isZero();
    int sentToA = a.sent.size();
    write(Cmd.put("k", "3"));
    eventually().until(() -> hub.dispatchedRevision() == 3);
    assertThat(a.sent).hasSize(sentToA);
  }

  @Test
  void publishNeverBlocksEvenWhenEveryWatcherIsStuck() {
    startHub(new WatchSettings(4, 2, Duration.ofSeconds(60)));
    Sink stuck = new Sink();
    stuck.block();
    WatchStream s = open(stuck);
    for (long id = 1; id <= 20; id++) {
      s.create(watchAll(id).build());
    }
    long start = System.nanoTime();
    for (int i = 0; i < 2000; i++) {
      write(Cmd.put("k" + (i % 10), "v" + i));
    }
    eventually().until(() -> hub.dispatchedRevision() == 2000);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(hub.catchingUpCount()).isEqualTo(20);
    assertThat(hub.maxLag()).isEqualTo(2000);
    stuck.unblock();
    s.onReady();
    for (long id = 1; id <= 20; id++) {
      awaitDelivered(stuck, id, expected(watchAll(id), 1));
    }
    assertThat(hub.maxLag()).isZero();
  }

  @Test
  void pastTheDispatchBacklogWatchersCatchUpFromStorageWithoutGapOrDuplicate() {
    // a backlog of 2 revisions: every entry of three puts overflows it at once
    startHub(new WatchSettings(1024, 5, Duration.ofSeconds(60), 2));
    Sink sink = new Sink();
    WatchStream s = open(sink);
    s.create(watchAll(1).build());
    s.create(watchPrefix(2, "/a/").build());
    Random rnd = new Random(7);
    for (int i = 0; i < 200; i++) {
      write(
          Cmd.put("/a/" + (i % 5), "x" + i),
          Cmd.put("/b/" + (i % 3), "y" + i),
          Cmd.put("c", "z" + i));
      if (i % 10 == 0) {
        write(randomEntry(rnd, i));
      }
    }
    List<Rev> everything = expected(watchAll(1), 1);
    awaitDelivered(sink, 1, everything);
    awaitDelivered(sink, 2, expected(watchPrefix(2, "/a/"), 1));
    checkSequence(sink.of(1), everything);
    checkSequence(sink.of(2), expected(watchPrefix(2, "/a/"), 1));
    assertThat(overflowCount.get()).isPositive();
    assertThat(hub.dispatchedRevision()).isEqualTo(store.revision());
  }
}
