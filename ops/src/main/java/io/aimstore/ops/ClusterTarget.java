package io.aimstore.ops;

import io.aimstore.client.TlsFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which cluster aimctl talks to, and where it found out: the one place that answers "which
 * endpoints, which cluster directory". Later, what a cluster directory holds besides its ports (a
 * CA, client certificates) is found through {@link #directory()} too.
 *
 * <p>The rule, first match wins:
 *
 * <ol>
 *   <li>{@code --endpoints HOST:PORT,...}
 *   <li>{@code $AIMSTORE_ENDPOINTS}
 *   <li>a cluster directory — {@code --cluster-dir DIR}, else {@code $AIMSTORE_CLUSTER_DIR}, else
 *       the checkout's {@code .local-cluster/} (the same rule as {@code aimstore-cluster}) — whose
 *       {@code cluster.env} records the cluster's size and base port: member I serves clients on
 *       127.0.0.1:BASE+I, except the members its {@code REMOVED=I J ...} line names
 *   <li>the local-cluster convention 127.0.0.1:7401-7403, when no directory was named and the
 *       default one holds no cluster
 * </ol>
 *
 * A directory named explicitly must hold a cluster: aimctl never falls back to the default ports
 * behind the user's back.
 *
 * <p>How to prove who aimctl is ({@link #tls()}), first match wins: {@code --insecure} (or {@code
 * $AIMSTORE_INSECURE=true}) speaks plaintext, which only an insecure cluster accepts; {@code
 * --cacert}, {@code --cert}, {@code --key} (or {@code $AIMSTORE_CACERT}, {@code $AIMSTORE_CERT},
 * {@code $AIMSTORE_KEY}) name the files ({@code --cert NAME.crt} alone takes {@code NAME.key}
 * beside it and the cluster directory's {@code tls/ca.crt}); else the cluster directory (the one
 * the endpoints came from, or found by the same rule) gives its {@code tls/ca.crt} and the
 * operator's {@code tls/operator.crt} and {@code tls/operator.key}, or plaintext when its {@code
 * cluster.env} says the cluster runs insecure ({@code INSECURE=1}).
 *
 * @param endpoints the members' client addresses, host:port
 * @param source where they came from, for people ("--endpoints", "/path/cluster.env", ...)
 * @param directory the cluster directory they came from, if any
 * @param tls the TLS files to connect with; empty for plaintext
 */
public record ClusterTarget(
    List<String> endpoints, String source, Optional<Path> directory, Optional<TlsFiles> tls) {

  /** Where the local cluster's ports are recorded, inside its directory. */
  public static final String CLUSTER_ENV = "cluster.env";

  /** The local-cluster convention: member I serves clients on 127.0.0.1:7400+I. */
  public static final List<String> DEFAULT_ENDPOINTS =
      List.of("127.0.0.1:7401", "127.0.0.1:7402", "127.0.0.1:7403");

  public ClusterTarget {
    endpoints = List.copyOf(endpoints);
  }

  ClusterTarget(List<String> endpoints, String source, Optional<Path> directory) {
    this(endpoints, source, directory, Optional.empty());
  }

  /** What the command line says about TLS; every field may be null (not given). */
  public record TlsFlags(boolean insecure, Path cacert, Path cert, Path key) {
    public static final TlsFlags NONE = new TlsFlags(false, null, null, null);
  }

  /** The same target with its TLS files resolved by the rule above: the operator's. */
  public ClusterTarget withTls(TlsFlags flags, Map<String, String> env, Path checkout) {
    return withTls(
        flags,
        env,
        checkout,
        tlsDir ->
            Files.isRegularFile(tlsDir.resolve("operator.crt"))
                ? Optional.of(TlsFiles.in(tlsDir, "operator"))
                : Optional.empty());
  }

  /**
   * The same target with its TLS files resolved by the rule above, with {@code own} giving the
   * files a cluster directory's {@code tls/} holds for this client (e.g. a drone's), if any.
   */
  public ClusterTarget withTls(
      TlsFlags flags,
      Map<String, String> env,
      Path checkout,
      java.util.function.Function<Path, Optional<TlsFiles>> own) {
    return new ClusterTarget(endpoints, source, directory, resolveTls(flags, env, checkout, own));
  }

  private Optional<TlsFiles> resolveTls(
      TlsFlags flags,
      Map<String, String> env,
      Path checkout,
      java.util.function.Function<Path, Optional<TlsFiles>> own) {
    if (flags.insecure() || "true".equalsIgnoreCase(env.getOrDefault("AIMSTORE_INSECURE", ""))) {
      return Optional.empty();
    }
    Path ca = flags.cacert() != null ? flags.cacert() : pathOf(env, "AIMSTORE_CACERT");
    Path cert = flags.cert() != null ? flags.cert() : pathOf(env, "AIMSTORE_CERT");
    Path key = flags.key() != null ? flags.key() : pathOf(env, "AIMSTORE_KEY");
    Optional<Path> dir = directory.or(() -> clusterDirectory(env, checkout));
    if (cert != null && key == null && cert.getFileName().toString().endsWith(".crt")) {
      String f = cert.getFileName().toString();
      key = cert.resolveSibling(f.substring(0, f.length() - ".crt".length()) + ".key");
    }
    if (cert != null && ca == null && dir.isPresent()) {
      ca = dir.get().resolve("tls").resolve("ca.crt");
    }
    if (ca != null || cert != null || key != null) {
      if (ca == null || cert == null || key == null) {
        throw new Aimctl.UsageError(
            "--cacert, --cert and --key go together (or $AIMSTORE_CACERT, $AIMSTORE_CERT,"
                + " $AIMSTORE_KEY); --cert NAME.crt alone takes NAME.key beside it and the"
                + " cluster directory's tls/ca.crt");
      }
      return Optional.of(checked(new TlsFiles(ca, cert, key)));
    }
    if (dir.isPresent()) {
      if (recordsInsecure(dir.get())) {
        return Optional.empty();
      }
      Optional<TlsFiles> files = own.apply(dir.get().resolve("tls"));
      if (files.isPresent()) {
        return Optional.of(checked(files.get()));
      }
    }
    throw new Aimctl.UsageError(
        "no TLS files for "
            + describe()
            + ": pass --cacert, --cert and --key (ops/bin/aimstore-certs makes them; a local"
            + " cluster keeps them in its directory's tls/), or --insecure for a cluster started"
            + " with --insecure");
  }

  private static TlsFiles checked(TlsFiles f) {
    try {
      return f.check();
    } catch (IllegalArgumentException e) {
      throw new Aimctl.UsageError(e.getMessage());
    }
  }

  private static Path pathOf(Map<String, String> env, String var) {
    String v = env.get(var);
    return v == null || v.isBlank() ? null : Path.of(v);
  }

  /** The cluster directory by the same rule as the endpoints', if one holds a cluster. */
  private static Optional<Path> clusterDirectory(Map<String, String> env, Path checkout) {
    String named = env.get("AIMSTORE_CLUSTER_DIR");
    Path dir =
        named != null
            ? Path.of(named)
            : checkout == null ? null : checkout.resolve(".local-cluster");
    return dir != null && Files.isRegularFile(dir.resolve(CLUSTER_ENV))
        ? Optional.of(dir)
        : Optional.empty();
  }

  /** Whether a cluster directory's cluster.env says its members run without TLS. */
  static boolean recordsInsecure(Path dir) {
    try {
      return Files.readAllLines(dir.resolve(CLUSTER_ENV)).stream()
          .anyMatch(l -> l.strip().equals("INSECURE=1"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Resolves the target by the rule above.
   *
   * @param flagEndpoints {@code --endpoints}, null or empty when not given
   * @param flagDir {@code --cluster-dir}, null when not given
   * @param env the environment ({@code AIMSTORE_ENDPOINTS}, {@code AIMSTORE_CLUSTER_DIR})
   * @param checkout the source checkout aimctl runs from (its {@code .local-cluster/} is the
   *     default directory), null when unknown
   * @throws Aimctl.UsageError for a malformed endpoint or a named directory without a cluster
   */
  public static ClusterTarget resolve(
      List<String> flagEndpoints, Path flagDir, Map<String, String> env, Path checkout) {
    if (flagEndpoints != null && !flagEndpoints.isEmpty()) {
      return new ClusterTarget(
          parse(flagEndpoints, "--endpoints"), "--endpoints", Optional.empty());
    }
    String fromEnv = env.get("AIMSTORE_ENDPOINTS");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new ClusterTarget(
          parse(List.of(fromEnv), "$AIMSTORE_ENDPOINTS"), "$AIMSTORE_ENDPOINTS", Optional.empty());
    }
    Path named = flagDir;
    String how = "--cluster-dir";
    if (named == null && env.get("AIMSTORE_CLUSTER_DIR") != null) {
      named = Path.of(env.get("AIMSTORE_CLUSTER_DIR"));
      how = "$AIMSTORE_CLUSTER_DIR";
    }
    if (named != null) {
      Path envFile = named.resolve(CLUSTER_ENV);
      if (!Files.isRegularFile(envFile)) {
        throw new Aimctl.UsageError(
            "no cluster in "
                + named
                + " (from "
                + how
                + "): it has no "
                + CLUSTER_ENV
                + "; start one with 'ops/bin/aimstore-cluster up', or pass --endpoints");
      }
      return fromDirectory(named);
    }
    if (checkout != null) {
      Path local = checkout.resolve(".local-cluster");
      if (Files.isRegularFile(local.resolve(CLUSTER_ENV))) {
        return fromDirectory(local);
      }
    }
    return new ClusterTarget(
        DEFAULT_ENDPOINTS, "the local-cluster default ports", Optional.empty());
  }

  /** The endpoints recorded in a cluster directory's {@code cluster.env}. */
  static ClusterTarget fromDirectory(Path dir) {
    Path file = dir.resolve(CLUSTER_ENV);
    int size = -1;
    int base = -1;
    java.util.Set<Integer> removed = new java.util.HashSet<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String l = line.strip();
        if (l.startsWith("REMOVED=")) {
          // members taken out with 'aimstore-cluster remove-member'
          for (String i : l.substring(8).strip().split("\\s+")) {
            if (!i.isEmpty()) {
              removed.add(Integer.parseInt(i));
            }
          }
        } else if (l.startsWith("SIZE=")) {
          size = Integer.parseInt(l.substring(5).strip());
        } else if (l.startsWith("BASE=")) {
          base = Integer.parseInt(l.substring(5).strip());
        }
      }
    } catch (IOException | NumberFormatException e) {
      throw new Aimctl.UsageError("cannot read " + file + ": " + e.getMessage());
    }
    if (size < 1 || base < 0 || base + size > 65535) {
      throw new Aimctl.UsageError(file + " must record SIZE=N and BASE=PORT");
    }
    List<String> eps = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      if (!removed.contains(i)) {
        eps.add("127.0.0.1:" + (base + i));
      }
    }
    if (eps.isEmpty()) {
      throw new Aimctl.UsageError(file + " lists no member that was not removed");
    }
    return new ClusterTarget(eps, file.toString(), Optional.of(dir));
  }

  /** Splits comma-separated lists and checks each endpoint is HOST:PORT. */
  static List<String> parse(List<String> given, String from) {
    List<String> out = new ArrayList<>();
    for (String g : given) {
      for (String part : g.split(",")) {
        String e = part.strip();
        if (e.isEmpty()) {
          continue;
        }
        int colon = e.lastIndexOf(':');
        int port = -1;
        if (colon > 0) {
          try {
            port = Integer.parseInt(e.substring(colon + 1));
          } catch (NumberFormatException ignored) {
            // reported below
          }
        }
        if (port < 1 || port > 65535) {
          throw new Aimctl.UsageError(
              "endpoint '" + e + "' (from " + from + ") is not HOST:PORT with a port 1-65535");
        }
        out.add(e);
      }
    }
    if (out.isEmpty()) {
      throw new Aimctl.UsageError("no endpoints in " + from);
    }
    return out;
  }

  /**
   * Checks that every endpoint's host resolves, so that a typo fails at once with one line instead
   * of after the request timeout.
   *
   * @throws Aimctl.UsageError naming the first host that does not resolve
   */
  public void checkResolvable() {
    for (String e : endpoints) {
      String host = e.substring(0, e.lastIndexOf(':'));
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        InetAddress.getByName(host);
      } catch (UnknownHostException ex) {
        throw new Aimctl.UsageError(
            "cannot resolve host '" + host + "' of endpoint " + e + " (from " + source + ")");
      }
    }
  }

  /** "127.0.0.1:7401,127.0.0.1:7402 (from SOURCE)". */
  public String describe() {
    return String.join(",", endpoints) + " (from " + source + ")";
  }
}
