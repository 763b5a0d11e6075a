package io.aimstore.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.CasOutcome;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.ReadConsistency;
import io.aimstore.bench.driver.Versioned;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FailoverPutLoopTest {

  /** Puts that complete only when the test says so. */
  private static final class ManualDriver implements Driver {
    final List<CompletableFuture<Long>> puts = new CopyOnWriteArrayList<>();
    volatile boolean autoAck = true;

    @Override
    public SystemKind system() {
      return SystemKind.AIMSTORE;
    }

    @Override
    public CompletableFuture<Long> put(String key, byte[] value) {
      CompletableFuture<Long> f = new CompletableFuture<>();
      puts.add(f);
      if (autoAck) {
        f.complete(1L);
      }
      return f;
    }

    @Override
    public CompletableFuture<Versioned> get(String key, ReadConsistency consistency) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<CasOutcome> cas(String key, long expectedVersion, byte[] v) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  @Test
  void onlyAPutIssuedAfterTheLeaderIsGoneCountsAsRecovery() throws Exception {
    ManualDriver d = new ManualDriver();
    try (FailoverWorkload.PutLoop loop = new FailoverWorkload.PutLoop(d, new byte[] {1})) {
      loop.start();
      loop.awaitSteady(Duration.ofSeconds(5));
      d.autoAck = false; // the leader dies: puts hang
      Thread.sleep(50);
      int stuck = d.puts.size();
      long gone = System.nanoTime();
      loop.arm(gone);
      // at the arm a fresh put is issued at once, beside the stuck one
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (d.puts.size() <= stuck && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(d.puts.size()).isGreaterThan(stuck);
      // the put outstanding before the kill succeeding late does not count
      d.puts.get(stuck - 1).complete(1L);
      Thread.sleep(20);
      assertThat(loop.recovered()).isNotDone();
      // a put issued after the kill does
      d.puts.get(d.puts.size() - 1).complete(2L);
      long at = loop.recovered().get(2, TimeUnit.SECONDS);
      assertThat(at).isGreaterThanOrEqualTo(gone);
    }
  }

  @Test
  void anUnansweredPutIsGivenUpAndAnotherIssued() throws Exception {
    ManualDriver d = new ManualDriver();
    try (FailoverWorkload.PutLoop loop = new FailoverWorkload.PutLoop(d, new byte[] {1})) {
      loop.start();
      loop.awaitSteady(Duration.ofSeconds(5));
      d.autoAck = false;
      Thread.sleep(50);
      int before = d.puts.size();
      loop.arm(System.nanoTime());
      Thread.sleep(FailoverWorkload.ABANDON.toMillis() * 3 + 100);
      // one at the arm, then one more each time a put has been unanswered for ABANDON
      assertThat(d.puts.size() - before).isBetween(3, 6);
      d.autoAck = true;
      loop.recovered().get(2, TimeUnit.SECONDS);
    }
  }
}
