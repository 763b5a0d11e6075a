package io.aimstore.ops;

import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import io.aimstore.ops.cli.AuditCommand;
import io.aimstore.ops.cli.CompactCommand;
import io.aimstore.ops.cli.ConfigCommand;
import io.aimstore.ops.cli.DelCommand;
import io.aimstore.ops.cli.FleetCommand;
import io.aimstore.ops.cli.GetCommand;
import io.aimstore.ops.cli.LeaseCommand;
import io.aimstore.ops.cli.LockCommand;
import io.aimstore.ops.cli.MemberCommand;
import io.aimstore.ops.cli.PutCommand;
import io.aimstore.ops.cli.RolloutCommand;
import io.aimstore.ops.cli.StatusCommand;
import io.aimstore.ops.cli.TxnCommand;
import io.aimstore.ops.cli.WatchCommand;
import io.aimstore.ops.output.Format;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** aimctl: the operator's command line for aimstore, built on the Java client. */
@Command(
    name = "aimctl",
    mixinStandardHelpOptions = true,
    version = "aimctl 0.1.0",
    description = "Talk to an aimstore cluster: keys, leases, locks, watches, members.",
    subcommands = {
      PutCommand.class,
      GetCommand.class,
      DelCommand.class,
      TxnCommand.class,
      CompactCommand.class,
      StatusCommand.class,
      MemberCommand.class,
      LeaseCommand.class,
      WatchCommand.class,
      LockCommand.class,
      AuditCommand.class,
      ConfigCommand.class,
      RolloutCommand.class,
      FleetCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Aimctl implements AutoCloseable {

  @Option(
      names = "--endpoints",
      split = ",",
      scope = ScopeType.INHERIT,
      paramLabel = "HOST:PORT",
      description =
          "Members' client addresses (default: $AIMSTORE_ENDPOINTS, else the local cluster"
              + " 127.0.0.1:7401-7403).")
  List<String> endpoints;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      defaultValue = "table",
      converter = FormatConverter.class,
      description = "Output: table (for people) or json (for scripts). Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(
      names = "--timeout",
      scope = ScopeType.INHERIT,
      defaultValue = "15s",
      converter = DurationConverter.class,
      description = "How long a request may take, across retries. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private AimStoreClient client;

  public Aimctl(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    int code;
    try (Aimctl root = new Aimctl(System.getenv(), System.out, System.err)) {
      code = root.run(args);
    }
    System.exit(code);
  }

  /** Runs one command line; returns the exit code (0 ok, 1 request failed, 2 usage error). */
  public int run(String... args) {
    CommandLine cl = new CommandLine(this);
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("aimctl: " + describe(e));
          return 1;
        });
    return cl.execute(args);
  }

  static String describe(Exception e) {
    if (e instanceof AimStoreException a) {
      String hint = "";
      if (a.code() == AimStoreException.Code.UNAVAILABLE
          || a.code() == AimStoreException.Code.DEADLINE_EXCEEDED) {
        hint =
            "\nhint: is the cluster up? Check with 'ops/bin/aimstore-cluster status' or pass"
                + " --endpoints";
      }
      return a.getMessage() + hint;
    }
    if (e instanceof UsageError u) {
      return u.getMessage();
    }
    return e.toString();
  }

  public Format format() {
    return format;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  /** The client, built on first use from --endpoints, $AIMSTORE_ENDPOINTS or the local default. */
  public AimStoreClient client() {
    if (client == null) {
      List<String> eps = endpoints;
      if ((eps == null || eps.isEmpty()) && env.get("AIMSTORE_ENDPOINTS") != null) {
        eps = List.of(env.get("AIMSTORE_ENDPOINTS"));
      }
      if (eps == null || eps.isEmpty()) {
        eps = AimStoreClient.LOCAL_ENDPOINTS;
      }
      client =
          AimStoreClient.builder()
              .endpoints(eps)
              .name("aimctl")
              .requestTimeout(timeout)
              .attemptTimeout(Duration.ofMillis(Math.min(timeout.toMillis(), 5000)))
              .build();
    }
    return client;
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
  }

  /** A mistake in how a command was called: printed without a stack trace, exit code 1. */
  public static final class UsageError extends RuntimeException {
    public UsageError(String message) {
      super(message);
    }
  }

  static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "table" -> Format.TABLE;
        case "json" -> Format.JSON;
        default ->
            throw new CommandLine.TypeConversionException("expected table or json, got " + value);
      };
    }
  }

  /** "500ms", "15s", "2m", or a plain number of seconds. */
  public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String v) {
      return parseDuration(v);
    }
  }

  public static Duration parseDuration(String v) {
    String s = v.strip().toLowerCase(java.util.Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("s")) {
        return Duration.ofMillis(
            (long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
      }
      if (s.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
      }
      if (s.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      return Duration.ofMillis((long) (Double.parseDouble(s) * 1000));
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(
          "'" + v + "' is not a duration (examples: 500ms, 15s, 2m, 1h)");
    }
  }
}
