package io.aimstore.ops;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.aimstore.client.TlsFiles;
import io.aimstore.testkit.InProcessCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs aimctl in this JVM against a cluster, as a user would type it, capturing what it prints. */
final class Cli {
  private final String endpoints;
  private final List<String> tlsFlags;

  Cli(String endpoints, List<String> tlsFlags) {
    this.endpoints = endpoints;
    this.tlsFlags = tlsFlags;
  }

  /**
   * aimctl for every member of {@code cluster}, as its operator (the cluster's operator
   * certificate) when it is secure, else with --insecure.
   */
  static Cli of(InProcessCluster cluster) {
    List<String> eps = new ArrayList<>();
    for (int i = 1; i <= cluster.size(); i++) {
      eps.add(cluster.endpoint(i));
    }
    return new Cli(String.join(",", eps), flags(cluster.tls()));
  }

  /** The aimctl flags that present {@code tls} (or --insecure for null). */
  static List<String> flags(TlsFiles tls) {
    if (tls == null) {
      return List.of("--insecure");
    }
    return List.of(
        "--cacert", tls.caFile().toString(),
        "--cert", tls.certFile().toString(),
        "--key", tls.keyFile().toString());
  }

  String endpoints() {
    return endpoints;
  }

  /** The TLS flags this aimctl runs with. */
  List<String> tlsFlags() {
    return tlsFlags;
  }

  /** What one command printed, how it exited, and how long it took. */
  record Run(int code, String out, String err, long millis) {
    JsonObject json() {
      return JsonParser.parseString(out).getAsJsonObject();
    }

    JsonElement jsonElement() {
      return JsonParser.parseString(out);
    }
  }

  Run run(String... args) {
    return runWithInput("", args);
  }

  Run runWithInput(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--endpoints", endpoints));
    all.addAll(tlsFlags);
    all.addAll(List.of(args));
    return raw(stdin, all.toArray(String[]::new));
  }

  /** Runs exactly {@code args} (no endpoints added). */
  static Run raw(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long start = System.nanoTime();
    try (Aimctl a =
        new Aimctl(
            Map.of(),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))) {
      int code = a.run(args);
      return new Run(
          code,
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8),
          (System.nanoTime() - start) / 1_000_000);
    }
  }
}
