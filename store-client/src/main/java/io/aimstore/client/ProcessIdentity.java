package io.aimstore.client;

import io.aimstore.api.v1.Owner;
import java.net.InetAddress;
import java.util.Map;

/** The owner identity of this process: name, host, pid, process start time and labels. */
public final class ProcessIdentity {
  private ProcessIdentity() {}

  /** This process as a lease owner: {@code name}, host name, pid, start time, {@code labels}. */
  public static Owner owner(String name, Map<String, String> labels) {
    ProcessHandle self = ProcessHandle.current();
    return Owner.newBuilder()
        .setName(name)
        .setHost(hostName())
        .setPid(self.pid())
        .setProcessStartMs(
            self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L))
        .putAllLabels(labels)
        .build();
  }

  static String hostName() {
    String env = System.getenv("HOSTNAME");
    try {
      String h = InetAddress.getLocalHost().getHostName();
      if (h != null && !h.isBlank()) {
        return h;
      }
    } catch (java.io.IOException e) {
      // fall through
    }
    return env != null && !env.isBlank() ? env : "localhost";
  }
}
