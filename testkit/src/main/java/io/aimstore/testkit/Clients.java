package io.aimstore.testkit;

import io.aimstore.client.AimStoreClient;
import io.aimstore.client.TlsFiles;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** The clients a cluster handed out, all closed with it. */
final class Clients {
  private final List<AimStoreClient> open = new CopyOnWriteArrayList<>();
  private final Supplier<TlsFiles> tls;

  /**
   * @param tls the cluster's client TLS files, null while it runs insecure
   */
  Clients(Supplier<TlsFiles> tls) {
    this.tls = tls;
  }

  /** A client of {@code endpoints}: 20 s per request, 3 s per attempt. */
  AimStoreClient open(List<String> endpoints) {
    AimStoreClient c =
        AimStoreClient.builder()
            .endpoints(endpoints)
            .tls(tls.get())
            .requestTimeout(Duration.ofSeconds(20))
            .attemptTimeout(Duration.ofSeconds(3))
            .build();
    open.add(c);
    return c;
  }

  void closeAll() {
    open.forEach(AimStoreClient::close);
    open.clear();
  }
}
