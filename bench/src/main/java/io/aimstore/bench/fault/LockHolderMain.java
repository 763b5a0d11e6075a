package io.aimstore.bench.fault;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.driver.AimstoreDriver;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.driver.EtcdDriver;
import io.aimstore.bench.driver.LockClient;
import io.aimstore.bench.driver.LockDriver;
import io.aimstore.bench.driver.ZookeeperDriver;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The lock holder of the ghost-lock workload, a JVM of its own so that it can be killed with
 * SIGKILL: takes lock NAME on a session of TTL seconds, prints {@value #HOLDING} and holds it until
 * killed (or for at most 10 minutes).
 *
 * <pre>
 * java -cp BENCH_CLASSPATH io.aimstore.bench.fault.LockHolderMain SYSTEM ADDR,ADDR,ADDR NAME TTL
 * </pre>
 */
public final class LockHolderMain {
  public static final String HOLDING = "holding lock";

  private LockHolderMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: LockHolderMain SYSTEM ADDRESSES NAME TTL_SECONDS");
      System.exit(2);
    }
    SystemKind kind = SystemKind.parse(args[0]);
    List<String> addresses = Arrays.asList(args[1].split(","));
    String name = args[2];
    Duration ttl = Duration.ofSeconds(Long.parseLong(args[3]));
    Driver driver =
        switch (kind) {
          case AIMSTORE -> new AimstoreDriver(addresses);
          case ETCD -> new EtcdDriver(addresses.stream().map(a -> "http://" + a).toList());
          case ZOOKEEPER ->
              new ZookeeperDriver(String.join(",", addresses), Duration.ofSeconds(30));
        };
    LockClient client = ((LockDriver) driver).newLockClient(ttl);
    LockClient.Held held = client.acquire(name, Duration.ofSeconds(60));
    System.out.println(HOLDING + " " + name + " session_ttl_ms=" + client.sessionTtlMs());
    System.out.flush();
    Thread.sleep(600_000);
    held.close();
    client.close();
    driver.close();
    System.exit(0);
  }
}
