package io.aimstore.jetcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.election.LeaderResponse;
import io.etcd.jetcd.election.NoLeaderException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lock.LockResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * jetcd 0.8, etcd's Java client, against the etcd API of a three-member aimstore cluster of real
 * processes, over mutual TLS as an etcd client with client certificates would connect: KV, Txn,
 * Watch (and its resume when its member dies), Lease keep-alive, and the server-side Lock and
 * Election services.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JetcdIT {
  private static final long WAIT_S = 15;

  static MemberProcesses cluster;
  static Client client;

  @BeforeAll
  static void start() throws Exception {
    // under target/, so that the members' logs outlive a failed run
    cluster =
        MemberProcesses.up(MemberProcesses.freshDirectory(Path.of("target", "jetcd-cluster")));
    client = connect(cluster.endpoints());
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A jetcd client of {@code endpoints} with the operator's certificate. */
  static Client connect(List<String> endpoints) throws SSLException {
    Path[] tls = cluster.operatorTls();
    return Client.builder()
        .endpoints(endpoints.toArray(String[]::new))
        .sslContext(
            ssl -> ssl.trustManager(tls[0].toFile()).keyManager(tls[1].toFile(), tls[2].toFile()))
        .build();
  }

  static ByteSequence bs(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  static String str(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT_S, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void kvPutGetPrefixPastRevisionAndDelete() throws Exception {
    KV kv = client.getKVClient();
    long first = get(kv.put(bs("kv/a"), bs("1"))).getHeader().getRevision();
    get(kv.put(bs("kv/a"), bs("2")));
    get(kv.put(bs("kv/b"), bs("3")));

    GetResponse all = get(kv.get(bs("kv/"), GetOption.builder().isPrefix(true).build()));
    assertThat(all.getKvs()).extracting(k -> str(k.getValue())).containsExactly("2", "3");
    KeyValue a = all.getKvs().get(0);
    assertThat(a.getCreateRevision()).isEqualTo(first);
    assertThat(a.getModRevision()).isEqualTo(first + 1);
    assertThat(a.getVersion()).isEqualTo(2);

    GetResponse past = get(kv.get(bs("kv/a"), GetOption.builder().withRevision(first).build()));
    assertThat(str(past.getKvs().get(0).getValue())).isEqualTo("1");
    GetResponse counted =
        get(kv.get(bs("kv/"), GetOption.builder().isPrefix(true).withCountOnly(true).build()));
    assertThat(counted.getCount()).isEqualTo(2);

    assertThat(
            get(kv.delete(
                    bs("kv/"), io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build()))
                .getDeleted())
        .isEqualTo(2);
    assertThat(get(kv.get(bs("kv/a"))).getKvs()).isEmpty();
  }

  @Test
  @Order(2)
  void txnCompareAndSwap() throws Exception {
    KV kv = client.getKVClient();
    get(kv.put(bs("txn/k"), bs("v1")));
    TxnResponse swapped = swap(kv, "txn/k", "v1", "v2");
    assertThat(swapped.isSucceeded()).isTrue();
    TxnResponse lost = swap(kv, "txn/k", "v1", "v3");
    assertThat(lost.isSucceeded()).isFalse();
    assertThat(str(lost.getGetResponses().get(0).getKvs().get(0).getValue())).isEqualTo("v2");
  }

  /** If {@code key} holds {@code expected}, puts {@code value}; else gets it. */
  private static TxnResponse swap(KV kv, String key, String expected, String value)
      throws Exception {
    return get(
        kv.txn()
            .If(new Cmp(bs(key), Cmp.Op.EQUAL, CmpTarget.value(bs(expected))))
            .Then(Op.put(bs(key), bs(value), PutOption.DEFAULT))
            .Else(Op.get(bs(key), GetOption.DEFAULT))
            .commit());
  }

  @Test
  @Order(3)
  void leaseKeptAliveOutlivesItsTtlAndItsKeysGoWhenTheKeepAliveStops() throws Exception {
    long lease = get(client.getLeaseClient().grant(5)).getID();
    get(
        client
            .getKVClient()
            .put(bs("lease/k"), bs("v"), PutOption.builder().withLeaseId(lease).build()));
    List<Long> ttls = new CopyOnWriteArrayList<>();
    CloseableClient keepAlive =
        client
            .getLeaseClient()
            .keepAlive(
                lease,
                new StreamObserver<>() {
                  @Override
                  public void onNext(LeaseKeepAliveResponse r) {
                    ttls.add(r.getTTL());
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
    // jetcd renews a third of the TTL after each answer (polling every 500 ms), so a 5 s TTL
    // leaves room for the pauses of a loaded two-core test machine
    Thread.sleep(11_000); // more than two TTLs
    assertThat(ttls).isNotEmpty().allMatch(t -> t == 5);
    assertThat(get(client.getKVClient().get(bs("lease/k"))).getKvs()).hasSize(1);
    assertThat(
            get(client
                    .getLeaseClient()
                    .timeToLive(lease, LeaseOption.builder().withAttachedKeys().build()))
                .getKeys())
        .extracting(JetcdIT::str)
        .containsExactly("lease/k");

    keepAlive.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!get(client.getKVClient().get(bs("lease/k"))).getKvs().isEmpty()
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(get(client.getKVClient().get(bs("lease/k"))).getKvs()).isEmpty();
    assertThat(get(client.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT)).getTTL())
        .isEqualTo(-1);
  }

  @Test
  @Order(4)
  void lockIsExclusiveUntilUnlockedAndAimctlNamesTheHolder() throws Exception {
    long l1 = get(client.getLeaseClient().grant(30)).getID();
    long l2 = get(client.getLeaseClient().grant(30)).getID();
    LockResponse first = get(client.getLockClient().lock(bs("jetcd-lock"), l1));
    assertThat(str(first.getKey())).isEqualTo("jetcd-lock/" + Long.toHexString(l1));
    long token = get(client.getKVClient().get(first.getKey())).getKvs().get(0).getCreateRevision();

    CompletableFuture<LockResponse> second = client.getLockClient().lock(bs("jetcd-lock"), l2);
    assertThatThrownBy(() -> second.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    assertThat(cluster.aimctl("lock", "show", "jetcd-lock"))
        .contains("etcd-client")
        .contains(Long.toString(token));

    get(client.getLockClient().unlock(first.getKey()));
    LockResponse next = get(second);
    assertThat(str(next.getKey())).isEqualTo("jetcd-lock/" + Long.toHexString(l2));
    get(client.getLockClient().unlock(next.getKey()));
  }

  @Test
  @Order(5)
  void electionCampaignProclaimObserveAndResign() throws Exception {
    Election election = client.getElectionClient();
    ByteSequence name = bs("jetcd-election");
    assertThatThrownBy(() -> get(election.leader(name)))
        .hasCauseInstanceOf(NoLeaderException.class);

    LinkedBlockingQueue<String> observed = new LinkedBlockingQueue<>();
    election.observe(
        name,
        new Election.Listener() {
          @Override
          public void onNext(LeaderResponse r) {
            observed.add(str(r.getKv().getValue()));
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });

    long l1 = get(client.getLeaseClient().grant(30)).getID();
    long l2 = get(client.getLeaseClient().grant(30)).getID();
    CampaignResponse won = get(election.campaign(name, l1, bs("first")));
    LeaderKey leader = won.getLeader();
    assertThat(str(get(election.leader(name)).getKv().getValue())).isEqualTo("first");
    assertThat(observed.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("first");

    get(election.proclaim(leader, bs("first, again")));
    assertThat(observed.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("first, again");

    CompletableFuture<CampaignResponse> challenger = election.campaign(name, l2, bs("second"));
    assertThatThrownBy(() -> challenger.get(1, TimeUnit.SECONDS))
        .isInstanceOf(TimeoutException.class);
    get(election.resign(leader));
    assertThat(get(challenger).getLeader().getLease()).isEqualTo(l2);
    assertThat(observed.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("second");
    assertThatThrownBy(() -> get(election.proclaim(leader, bs("stale"))))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("NotLeader");
  }

  /**
   * A watch whose member dies resumes on another from the revision after its last event: every
   * write arrives once, in order. Each member is killed in turn, so the watch's own member is too.
   */
  @Test
  @Order(6)
  void watchResumesOnAnotherMemberWithoutGapsOrRepeats() throws Exception {
    List<Long> revisions = new CopyOnWriteArrayList<>();
    List<String> values = new CopyOnWriteArrayList<>();
    Watch.Watcher watcher =
        client
            .getWatchClient()
            .watch(
                bs("resume/"),
                WatchOption.builder().isPrefix(true).build(),
                Watch.listener(
                    r -> {
                      for (WatchEvent e : r.getEvents()) {
                        revisions.add(e.getKeyValue().getModRevision());
                        values.add(str(e.getKeyValue().getValue()));
                      }
                    },
                    err -> {}));
    List<String> written = new ArrayList<>();
    // the watch is created asynchronously: write until it reports
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (values.isEmpty() && System.nanoTime() < deadline) {
      get(client.getKVClient().put(bs("resume/start"), bs("start")));
      Thread.sleep(100);
    }
    assertThat(values).isNotEmpty();

    int n = 0;
    for (int member = 1; member <= cluster.size(); member++) {
      cluster.kill9(member);
      List<String> alive = new ArrayList<>(cluster.endpoints());
      alive.remove(cluster.endpoint(member));
      try (Client writer = connect(alive)) {
        for (int i = 0; i < 5; i++) {
          String v = "v" + n++;
          putWithRetry(writer, bs("resume/k"), bs(v));
          written.add(v);
        }
      }
      cluster.start(member);
    }
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!values.get(values.size() - 1).equals(written.get(written.size() - 1))
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    watcher.close();
    assertThat(values.stream().filter(v -> !v.equals("start"))).containsExactlyElementsOf(written);
    assertThat(revisions).isSorted().doesNotHaveDuplicates();
  }

  /**
   * Writes through an election: a put whose outcome is unknown is sent again only once a read shows
   * it did not land (each value is written once, so the watch must see each once).
   */
  private static void putWithRetry(Client writer, ByteSequence key, ByteSequence value)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        if (attempt == 1 || !landed(writer, key, value)) {
          writer.getKVClient().put(key, value).get(WAIT_S, TimeUnit.SECONDS);
        }
        return;
      } catch (ExecutionException e) {
        if (attempt == 40) {
          throw e;
        }
        Thread.sleep(Duration.ofMillis(250).toMillis());
      }
    }
  }

  private static boolean landed(Client writer, ByteSequence key, ByteSequence value)
      throws Exception {
    GetResponse now = writer.getKVClient().get(key).get(WAIT_S, TimeUnit.SECONDS);
    return !now.getKvs().isEmpty() && now.getKvs().get(0).getValue().equals(value);
  }
}
