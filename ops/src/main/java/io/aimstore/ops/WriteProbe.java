package io.aimstore.ops;

import io.aimstore.client.AimStoreClient;
import io.aimstore.ops.cli.Durations;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The background writer of {@code aimstore-cluster rolling-restart}: puts one key every {@code
 * --interval}, several in flight (so that one write stuck on a member going down does not hold up
 * the others), until {@code --duration} or {@code --max-writes}, whichever comes first, and prints
 * one line per outcome: {@code ack EPOCH_MS LATENCY_MS} for an acknowledged write, {@code fail
 * EPOCH_MS REASON} for a failed one. The script measures each step's unavailability from the {@code
 * ack} times: the longest gap between two acknowledged writes.
 */
@Command(
    name = "aimstore-write-probe",
    mixinStandardHelpOptions = true,
    description = "Put a key at a steady rate; print when each put is acknowledged.")
public final class WriteProbe implements java.util.concurrent.Callable<Integer> {
  @Option(names = "--cluster-dir", paramLabel = "DIR", description = "A local cluster's directory.")
  Path clusterDir;

  @Option(names = "--endpoints", split = ",", description = "Members' client addresses.")
  List<String> endpoints;

  @Option(names = "--key", defaultValue = "/aimstore-cluster/write-probe")
  String key;

  @Option(names = "--interval", defaultValue = "50ms")
  Duration interval;

  @Option(names = "--duration", defaultValue = "10m")
  Duration duration;

  @Option(names = "--max-writes", defaultValue = "20000")
  long maxWrites;

  @Option(names = "--in-flight", defaultValue = "64", description = "Writes awaiting an answer.")
  int inFlight;

  public static void main(String[] args) {
    java.util.logging.LogManager.getLogManager().reset();
    System.exit(
        new CommandLine(new WriteProbe())
            .registerConverter(Duration.class, Durations::parse)
            .execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String home = System.getProperty("aimstore.home");
    Path checkout = home == null ? null : Path.of(home);
    ClusterTarget target =
        ClusterTarget.resolve(endpoints, clusterDir, System.getenv(), checkout)
            .withTls(ClusterTarget.TlsFlags.NONE, System.getenv(), checkout);
    PrintStream out = System.out;
    Semaphore slots = new Semaphore(inFlight);
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    try (AimStoreClient client =
        AimStoreClient.builder()
            .endpoints(target.endpoints())
            .tls(target.tls().orElse(null))
            .name("aimstore-write-probe")
            .requestTimeout(Duration.ofSeconds(10))
            .build()) {
      long next = System.nanoTime();
      for (long n = 0; n < maxWrites && System.nanoTime() < end; n++) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        next += interval.toNanos();
        if (!slots.tryAcquire(end - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          break;
        }
        long sent = System.nanoTime();
        client
            .kv()
            .put(key, Long.toString(n))
            .whenComplete(
                (r, err) -> {
                  slots.release();
                  long now = System.currentTimeMillis();
                  synchronized (out) {
                    if (err == null) {
                      acked.incrementAndGet();
                      out.println("ack " + now + " " + (System.nanoTime() - sent) / 1_000_000);
                    } else {
                      failed.incrementAndGet();
                      out.println("fail " + now + " " + brief(err));
                    }
                    out.flush();
                  }
                });
      }
      slots.tryAcquire(inFlight, 15, TimeUnit.SECONDS); // the last answers
    }
    synchronized (out) {
      out.println("done acked=" + acked.get() + " failed=" + failed.get());
      out.flush();
    }
    return 0;
  }

  private static String brief(Throwable t) {
    while (t.getCause() != null && t instanceof java.util.concurrent.CompletionException) {
      t = t.getCause();
    }
    String m = String.valueOf(t.getMessage());
    return m.replace('\n', ' ');
  }
}
