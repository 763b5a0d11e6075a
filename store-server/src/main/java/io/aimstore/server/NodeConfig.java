package io.aimstore.server;

import io.aimstore.server.api.MemberEndpoints;
import io.aimstore.server.raft.RaftSettings;
import io.aimstore.server.storage.StorageOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A member's configuration, read from a file, then environment variables, then command-line flags
 * (later sources win). Every source uses the same keys:
 *
 * <pre>
 *   cluster = local                 # cluster name (default "aimstore"); members of one cluster share it
 *   cluster-token = ecf1912d3dc12275  # only for a cluster restored from a snapshot: what restore printed
 *   name = n1                       # this member's name; must be one of the members
 *   data-dir = /var/lib/aimstore    # this member's data (Raft log, keyspace)
 *   member = n1@raft=127.0.0.1:7411,client=127.0.0.1:7401,metrics=127.0.0.1:7421
 *   member = n2@raft=...            # one line per member
 *   election-timeout-ms = 500-1000  # optional
 *   snapshot-threshold = 20000      # optional: log entries between snapshots
 *   disable-wal = false             # optional: skip RocksDB's own write-ahead log
 *   quota-backend-bytes = 2GiB      # optional: store size past which writes are refused (NOSPACE
 *                                   #   alarm, docs/operations.md#full-disk); bytes or KiB/MiB/GiB;
 *                                   #   0 turns the quota off
 *   tls-dir = /etc/aimstore/tls     # ca.crt, <name>.crt, <name>.key (or each file on its own:)
 *   tls-ca = …  tls-cert = …  tls-key = …
 *   insecure = false                # true: plaintext, no identities (development only)
 *   max-quarantine = 1h             # longest quarantine a force-release may ask for
 *   join = false                    # true: join a running cluster (aimctl member add), see below
 *   corruption-check-interval = 5m  # how often the leader compares the members' keyspace hashes; off
 * </pre>
 *
 * A member started with {@code join = true} and no data yet knows no Raft configuration: it waits
 * until the leader adds it ({@code aimctl member add}) and takes the configuration from the leader.
 * Its member list names the members it can reach, itself included. Once a member has data, the
 * configuration in its Raft log wins and {@code join} changes nothing (docs/operations.md,
 * "Membership").
 *
 * <p>Flags are {@code --key value} or {@code --key=value} ({@code --member} may repeat; {@code
 * --config FILE} names the file); variables are {@code AIMSTORE_KEY} with dashes as underscores
 * ({@code AIMSTORE_MEMBERS} holds several members separated by spaces or semicolons).
 */
public record NodeConfig(
    String cluster,
    String name,
    Path dataDir,
    Map<String, MemberEndpoints> members,
    RaftSettings raft,
    StorageOptions storage,
    SecuritySettings security,
    boolean join,
    String clusterToken,
    Duration corruptionCheckInterval) {

  /** How often the leader compares the members' keyspace hashes unless configured. */
  public static final Duration DEFAULT_CORRUPTION_CHECK_INTERVAL = Duration.ofMinutes(5);

  /** A configuration with the default corruption check interval. */
  public NodeConfig(
      String cluster,
      String name,
      Path dataDir,
      Map<String, MemberEndpoints> members,
      RaftSettings raft,
      StorageOptions storage,
      SecuritySettings security,
      boolean join,
      String clusterToken) {
    this(
        cluster,
        name,
        dataDir,
        members,
        raft,
        storage,
        security,
        join,
        clusterToken,
        DEFAULT_CORRUPTION_CHECK_INTERVAL);
  }

  /** A member of the first configuration (not joining), never restored from a snapshot. */
  public NodeConfig(
      String cluster,
      String name,
      Path dataDir,
      Map<String, MemberEndpoints> members,
      RaftSettings raft,
      StorageOptions storage,
      SecuritySettings security) {
    this(cluster, name, dataDir, members, raft, storage, security, false, null);
  }

  /** The same configuration, joining a running cluster or not. */
  public NodeConfig withJoin(boolean join) {
    return new NodeConfig(
        cluster,
        name,
        dataDir,
        members,
        raft,
        storage,
        security,
        join,
        clusterToken,
        corruptionCheckInterval);
  }

  /** The same configuration, for a cluster restored with {@code clusterToken} (null: none). */
  public NodeConfig withClusterToken(String clusterToken) {
    return new NodeConfig(
        cluster,
        name,
        dataDir,
        members,
        raft,
        storage,
        security,
        join,
        clusterToken,
        corruptionCheckInterval);
  }

  /** The same configuration, with the leader's hash check every {@code interval} (ZERO: off). */
  public NodeConfig withCorruptionCheckInterval(Duration interval) {
    return new NodeConfig(
        cluster, name, dataDir, members, raft, storage, security, join, clusterToken, interval);
  }

  private static final Set<String> KEYS =
      Set.of(
          "cluster",
          "cluster-token",
          "name",
          "data-dir",
          "member",
          "members",
          "election-timeout-ms",
          "snapshot-threshold",
          "disable-wal",
          "quota-backend-bytes",
          "tls-dir",
          "tls-ca",
          "tls-cert",
          "tls-key",
          "insecure",
          "max-quarantine",
          "join",
          "corruption-check-interval",
          "config");

  public MemberEndpoints self() {
    return members.get(name);
  }

  /** Reads the configuration from {@code args} and {@code env}. */
  public static NodeConfig load(String[] args, Map<String, String> env) throws ConfigException {
    Map<String, List<String>> flags = parseFlags(args);
    Map<String, List<String>> values = new LinkedHashMap<>();
    String file = last(flags, "config");
    if (file == null) {
      file = env.get("AIMSTORE_CONFIG");
    }
    if (file != null) {
      merge(values, parseFile(Path.of(file)));
    }
    merge(values, fromEnv(env));
    merge(values, flags);
    return build(values);
  }

  private static NodeConfig build(Map<String, List<String>> v) throws ConfigException {
    String cluster = orDefault(last(v, "cluster"), "aimstore");
    String name = require(v, "name");
    Path dataDir = Path.of(require(v, "data-dir"));
    List<String> specs = new ArrayList<>(v.getOrDefault("member", List.of()));
    for (String list : v.getOrDefault("members", List.of())) {
      for (String s : list.split("[;\\s]+")) {
        if (!s.isBlank()) {
          specs.add(s);
        }
      }
    }
    if (specs.isEmpty()) {
      throw new ConfigException(
          "no members configured: give every member as --member"
              + " NAME@raft=HOST:PORT,client=HOST:PORT,metrics=HOST:PORT");
    }
    Map<String, MemberEndpoints> members = new LinkedHashMap<>();
    Set<String> addresses = new HashSet<>();
    for (String spec : specs) {
      MemberEndpoints m = parseMember(spec);
      if (members.put(m.name(), m) != null) {
        throw new ConfigException("member " + m.name() + " is configured twice");
      }
      for (String a : List.of(m.raft(), m.client(), m.metrics())) {
        if (!addresses.add(a)) {
          throw new ConfigException("address " + a + " is used twice in the member list");
        }
      }
    }
    if (!members.containsKey(name)) {
      throw new ConfigException(
          "this member's name '" + name + "' is not in the member list " + members.keySet());
    }
    RaftSettings raft = RaftSettings.DEFAULT;
    String timeouts = last(v, "election-timeout-ms");
    if (timeouts != null) {
      String[] parts = timeouts.split("-");
      long min = parseLong("election-timeout-ms", parts[0]);
      long max = parts.length > 1 ? parseLong("election-timeout-ms", parts[1]) : min * 2;
      if (min < 50 || max <= min) {
        throw new ConfigException(
            "election-timeout-ms must be MIN-MAX with 50 <= MIN < MAX, got " + timeouts);
      }
      raft = raft.withElectionTimeouts(Duration.ofMillis(min), Duration.ofMillis(max));
    }
    String threshold = last(v, "snapshot-threshold");
    if (threshold != null) {
      long t = parseLong("snapshot-threshold", threshold);
      if (t < 100) {
        throw new ConfigException("snapshot-threshold must be >= 100, got " + t);
      }
      raft = raft.withSnapshotThreshold(t);
    }
    boolean disableWal = Boolean.parseBoolean(orDefault(last(v, "disable-wal"), "false"));
    String quota = last(v, "quota-backend-bytes");
    StorageOptions storage =
        new StorageOptions(
            disableWal,
            StorageOptions.DEFAULT.blockCacheBytes(),
            quota == null
                ? StorageOptions.DEFAULT_QUOTA_BYTES
                : parseBytes("quota-backend-bytes", quota));
    boolean join = parseBoolean("join", orDefault(last(v, "join"), "false"));
    String token = last(v, "cluster-token");
    if (token != null && !token.strip().matches("[0-9A-Za-z_-]{1,64}")) {
      throw new ConfigException(
          "cluster-token must be what 'aimstore restore' printed (letters and digits), got '"
              + token
              + "'");
    }
    return new NodeConfig(
        cluster,
        name,
        dataDir,
        members,
        raft,
        storage,
        security(v, name),
        join,
        token == null || token.isBlank() ? null : token.strip(),
        corruptionCheckInterval(last(v, "corruption-check-interval")));
  }

  /** {@code off} (or 0) turns the check off; otherwise a duration, at least 10s. */
  private static Duration corruptionCheckInterval(String s) throws ConfigException {
    if (s == null) {
      return DEFAULT_CORRUPTION_CHECK_INTERVAL;
    }
    if (s.strip().equalsIgnoreCase("off") || s.strip().equals("0")) {
      return Duration.ZERO;
    }
    Duration d = parseDuration("corruption-check-interval", s);
    if (d.compareTo(Duration.ofSeconds(10)) < 0) {
      throw new ConfigException(
          "corruption-check-interval must be at least 10s (or off), got '" + s + "'");
    }
    return d;
  }

  private static SecuritySettings security(Map<String, List<String>> v, String name)
      throws ConfigException {
    boolean insecure = parseBoolean("insecure", orDefault(last(v, "insecure"), "false"));
    Duration maxQuarantine = SecuritySettings.DEFAULT_MAX_QUARANTINE;
    String q = last(v, "max-quarantine");
    if (q != null) {
      maxQuarantine = parseDuration("max-quarantine", q);
    }
    if (insecure) {
      return SecuritySettings.insecureForDevelopment().withMaxQuarantine(maxQuarantine);
    }
    String dir = last(v, "tls-dir");
    SecuritySettings s =
        dir == null
            ? new SecuritySettings(false, null, null, null, maxQuarantine)
            : SecuritySettings.tlsIn(Path.of(dir), name).withMaxQuarantine(maxQuarantine);
    Path ca = pathOr(last(v, "tls-ca"), s.caFile());
    Path cert = pathOr(last(v, "tls-cert"), s.certFile());
    Path key = pathOr(last(v, "tls-key"), s.keyFile());
    if (ca == null || cert == null || key == null) {
      throw new ConfigException(
          "no TLS files: set tls-dir (holding ca.crt, "
              + name
              + ".crt and "
              + name
              + ".key; ops/bin/aimstore-certs makes them) or tls-ca, tls-cert and tls-key — or"
              + " insecure = true for development only");
    }
    return new SecuritySettings(false, ca, cert, key, maxQuarantine);
  }

  private static Path pathOr(String value, Path dflt) {
    return value == null || value.isBlank() ? dflt : Path.of(value);
  }

  private static boolean parseBoolean(String key, String s) throws ConfigException {
    return switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new ConfigException(key + " must be true or false, got '" + s + "'");
    };
  }

  /** 90s, 15m, 2h, 1d, 500ms, or ISO-8601 (PT1H); never a bare number. */
  static Duration parseDuration(String key, String s) throws ConfigException {
    String t = s.strip();
    try {
      if (t.startsWith("P") || t.startsWith("p")) {
        return positive(key, s, Duration.parse(t.toUpperCase(Locale.ROOT)));
      }
      var m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h|d)").matcher(t);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return positive(
            key,
            s,
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              case "h" -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            });
      }
    } catch (java.time.format.DateTimeParseException e) {
      // fall through to the message below
    }
    throw new ConfigException(
        key + " must be a duration like 90s, 15m, 2h, 1d or PT1H, got '" + s + "'");
  }

  private static Duration positive(String key, String s, Duration d) throws ConfigException {
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException(key + " must be more than zero, got '" + s + "'");
    }
    return d;
  }

  /** {@code n1@raft=H:P,client=H:P,metrics=H:P}. */
  static MemberEndpoints parseMember(String spec) throws ConfigException {
    int at = spec.indexOf('@');
    if (at <= 0) {
      throw new ConfigException(
          "member '"
              + spec
              + "' must look like n1@raft=HOST:PORT,client=HOST:PORT,metrics=HOST:PORT");
    }
    String name = spec.substring(0, at);
    Map<String, String> parts = new LinkedHashMap<>();
    for (String kv : spec.substring(at + 1).split(",")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("member " + name + ": '" + kv + "' is not KEY=HOST:PORT");
      }
      parts.put(kv.substring(0, eq).trim(), checkAddress(name, kv.substring(eq + 1).trim()));
    }
    for (String required : List.of("raft", "client", "metrics")) {
      if (!parts.containsKey(required)) {
        throw new ConfigException("member " + name + " has no " + required + "= address");
      }
    }
    return new MemberEndpoints(name, parts.get("raft"), parts.get("client"), parts.get("metrics"));
  }

  private static String checkAddress(String member, String a) throws ConfigException {
    int colon = a.lastIndexOf(':');
    if (colon <= 0) {
      throw new ConfigException("member " + member + ": address '" + a + "' is not HOST:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(a.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException("member " + member + ": port in '" + a + "' is not a number");
    }
    if (port < 1 || port > 65535) {
      throw new ConfigException("member " + member + ": port " + port + " is out of range 1-65535");
    }
    return a;
  }

  private static Map<String, List<String>> parseFlags(String[] args) throws ConfigException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Flags.read(
        args,
        new Flags.Handler() {
          @Override
          public void flag(String key, String value) throws ConfigException {
            checkKey(key, "flag --" + key);
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
          }

          @Override
          public void argument(String arg) throws ConfigException {
            throw new ConfigException("unexpected argument '" + arg + "' (flags are --key value)");
          }
        });
    return out;
  }

  private static Map<String, List<String>> parseFile(Path file) throws ConfigException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    int n = 0;
    for (String line : lines) {
      n++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int eq = l.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(file + ":" + n + ": expected 'key = value', got '" + l + "'");
      }
      String key = l.substring(0, eq).strip();
      checkKey(key, file + ":" + n + ": key '" + key + "'");
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(l.substring(eq + 1).strip());
    }
    return out;
  }

  private static Map<String, List<String>> fromEnv(Map<String, String> env) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String key : KEYS) {
      String var = "AIMSTORE_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
      if (env.containsKey(var) && !key.equals("config")) {
        out.put(key, new ArrayList<>(List.of(env.get(var))));
      }
    }
    return out;
  }

  private static void checkKey(String key, String where) throws ConfigException {
    if (!KEYS.contains(key)) {
      throw new ConfigException(
          where + " is unknown; known keys: " + String.join(", ", KEYS.stream().sorted().toList()));
    }
  }

  private static void merge(Map<String, List<String>> into, Map<String, List<String>> from) {
    from.forEach(
        (k, v) -> {
          if (k.equals("member")) {
            into.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v);
          } else {
            into.put(k, new ArrayList<>(v));
          }
        });
  }

  private static String last(Map<String, List<String>> v, String key) {
    List<String> l = v.get(key);
    return l == null || l.isEmpty() ? null : l.get(l.size() - 1);
  }

  private static String require(Map<String, List<String>> v, String key) throws ConfigException {
    String s = last(v, key);
    if (s == null || s.isBlank()) {
      throw new ConfigException("missing required setting '" + key + "' (--" + key + " VALUE)");
    }
    return s;
  }

  private static String orDefault(String s, String d) {
    return s == null || s.isBlank() ? d : s;
  }

  /** 2147483648, 2GiB, 512MiB, 64KiB (also 2G, 512M, 64K: the same powers of two); >= 0. */
  static long parseBytes(String key, String s) throws ConfigException {
    var m = java.util.regex.Pattern.compile("(\\d{1,19})\\s*(|[KMGT](?:i?B)?)").matcher(s.strip());
    if (!m.matches()) {
      throw new ConfigException(
          key + " must be a size in bytes (e.g. 2147483648 or 2GiB, 0 for none), got '" + s + "'");
    }
    int shift =
        switch (m.group(2).isEmpty() ? ' ' : m.group(2).charAt(0)) {
          case 'K' -> 10;
          case 'M' -> 20;
          case 'G' -> 30;
          case 'T' -> 40;
          default -> 0;
        };
    long n = parseLong(key, m.group(1));
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new ConfigException(key + " is too large: '" + s + "'");
    }
    return n << shift;
  }

  private static long parseLong(String key, String s) throws ConfigException {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a number, got '" + s + "'");
    }
  }
}
