package io.aimstore.chaos.workload;

import io.aimstore.client.AimStoreClient;
import io.aimstore.client.TlsFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The clients of a workload, each with the daemon thread that drives it: started together, joined
 * together, then closed.
 */
final class ClientThreads {
  private final List<AimStoreClient> clients = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  /**
   * A new client of {@code endpoints} (2 s per attempt) and its thread, not started yet.
   *
   * @param tls the cluster's client TLS files; null when it runs insecure
   * @param body what the thread does with the client
   */
  void add(
      String name,
      List<String> endpoints,
      TlsFiles tls,
      Duration requestTimeout,
      Consumer<AimStoreClient> body) {
    AimStoreClient client =
        AimStoreClient.builder()
            .endpoints(endpoints)
            .tls(tls)
            .requestTimeout(requestTimeout)
            .attemptTimeout(Duration.ofSeconds(2))
            .name("chaos-" + name)
            .build();
    clients.add(client);
    Thread t = new Thread(() -> body.accept(client), name);
    t.setDaemon(true);
    threads.add(t);
  }

  void start() {
    threads.forEach(Thread::start);
  }

  /** Waits for the threads (at most {@code timeout} in all), then closes the clients. */
  void join(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    clients.forEach(AimStoreClient::close);
    clients.clear();
  }
}
