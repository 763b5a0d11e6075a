package io.aimstore.bench.fault;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.AimstoreDriver;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.EtcdDriver;
import io.aimstore.bench.driver.LockClient;
import io.aimstore.bench.driver.LockDriver;
import io.aimstore.bench.driver.SessionKeyDriver;
import io.aimstore.bench.driver.ZookeeperDriver;
import io.aimstore.client.TlsFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The holder of the fault workloads, a JVM of its own so that it can be killed with SIGKILL: holds
 * lock NAME ({@code lock}) or key NAME ({@code key}) on a session of TTL seconds, prints {@value
 * #HOLDING} and holds on until killed (or for at most 10 minutes).
 *
 * <pre>
 * java -cp BENCH_CLASSPATH io.aimstore.bench.fault.HolderMain lock|key SYSTEM ADDR,ADDR,ADDR NAME TTL
 * </pre>
 */
public final class HolderMain {
  public static final String HOLDING = "holding";

  private HolderMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5 && args.length != 8) {
      System.err.println(
          "usage: HolderMain lock|key SYSTEM ADDRESSES NAME TTL_SECONDS [CA_FILE CERT_FILE KEY_FILE]");
      System.exit(2);
    }
    TlsFiles tls =
        args.length == 8
            ? new TlsFiles(Path.of(args[5]), Path.of(args[6]), Path.of(args[7]))
            : null;
    HolderProcess.Holds holds = HolderProcess.Holds.valueOf(args[0].toUpperCase());
    SystemKind kind = SystemKind.parse(args[1]);
    List<String> addresses = Arrays.asList(args[2].split(","));
    String name = args[3];
    Duration ttl = Duration.ofSeconds(Long.parseLong(args[4]));
    Driver driver =
        switch (kind) {
          case AIMSTORE, AIMSTORE_PLAINTEXT -> new AimstoreDriver(addresses, tls);
          case ETCD -> new EtcdDriver(addresses.stream().map(a -> "http://" + a).toList());
          case AIMSTORE_ETCD ->
              new EtcdDriver(
                  addresses.stream().map(a -> (tls == null ? "http://" : "https://") + a).toList(),
                  SystemKind.AIMSTORE_ETCD,
                  tls);
          case ZOOKEEPER ->
              new ZookeeperDriver(String.join(",", addresses), Duration.ofSeconds(30));
        };
    long sessionTtlMs;
    AutoCloseable held;
    if (holds == HolderProcess.Holds.LOCK) {
      LockClient client = ((LockDriver) driver).newLockClient(ttl);
      LockClient.Held lock = client.acquire(name, Duration.ofSeconds(60));
      sessionTtlMs = client.sessionTtlMs();
      held =
          () -> {
            lock.close();
            client.close();
          };
    } else {
      SessionKeyDriver.SessionKey key =
          ((SessionKeyDriver) driver).holdKey(name, "held".getBytes(StandardCharsets.UTF_8), ttl);
      sessionTtlMs = key.sessionTtlMs();
      held = key;
    }
    System.out.println(HOLDING + " " + name + " session_ttl_ms=" + sessionTtlMs);
    System.out.flush();
    Thread.sleep(600_000);
    held.close();
    driver.close();
    System.exit(0);
  }
}
