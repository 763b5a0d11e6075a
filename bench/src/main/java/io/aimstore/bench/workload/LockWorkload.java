package io.aimstore.bench.workload;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.LockClient;
import io.aimstore.bench.driver.LockDriver;
import io.aimstore.bench.load.RunStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Acquire + release cycles on one lock by {@code clients} contenders, each an independent client
 * (its own connection and session) on its own thread, cycling as fast as it can: acquire (waiting
 * in the system's queue), release at once, acquire again. One operation is one cycle; with one
 * client it measures the cost of an uncontended cycle, with 16 the hand-over between holders.
 */
public final class LockWorkload extends Workload {
  static final Duration SESSION_TTL = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String LOCK = "bench-lock";

  private final int clients;

  public LockWorkload(String id, int clients) {
    super(
        id,
        "lock acquire + release, "
            + clients
            + (clients == 1 ? " client" : " clients contending for one lock"),
        clients,
        Schedule.ONCE_PER_SET,
        LockDriver.class);
    this.clients = clients;
  }

  @Override
  public Duration estimate(Duration settle, Duration measure, Scale scale, SystemKind system) {
    return settle.plus(measure).plusMillis(300L * clients + 500);
  }

  @Override
  public WorkloadResult run(WorkloadContext ctx, Duration settle, Duration measure)
      throws Exception {
    LockDriver locks = (LockDriver) ctx.driver();
    List<LockClient> contenders = new ArrayList<>();
    List<ExecutorService> threads = new ArrayList<>();
    ExecutorService opening = Executors.newFixedThreadPool(Math.min(clients, 4));
    try {
      List<Future<LockClient>> opened = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        opened.add(opening.submit(() -> locks.newLockClient(SESSION_TTL)));
      }
      Exception failure = null;
      for (Future<LockClient> f : opened) {
        try {
          contenders.add(f.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
          failure = e;
        }
      }
      if (failure != null) {
        throw failure;
      }
      for (int i = 0; i < clients; i++) {
        int n = i;
        threads.add(Executors.newSingleThreadExecutor(r -> new Thread(r, "lock-client-" + n)));
      }
      RunStats stats =
          closedLoop(
              ctx,
              settle,
              measure,
              (slot, seq) ->
                  CompletableFuture.supplyAsync(
                      () -> {
                        try (LockClient.Held held = contenders.get(slot).acquire(LOCK, WAIT)) {
                          return held;
                        } catch (Exception e) {
                          throw new CompletionException(e);
                        }
                      },
                      threads.get(slot)));
      return new WorkloadResult(stats, Map.of("clients", clients));
    } finally {
      threads.forEach(ExecutorService::shutdown);
      for (ExecutorService t : threads) {
        t.awaitTermination(35, TimeUnit.SECONDS);
      }
      List<Future<?>> closing = new ArrayList<>();
      for (LockClient c : contenders) {
        closing.add(opening.submit(c::close));
      }
      for (Future<?> f : closing) {
        try {
          f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          // its session expires by itself
        }
      }
      opening.shutdownNow();
    }
  }
}
