package io.aimstore.ops;

import io.aimstore.api.v1.Grant;
import io.aimstore.client.AimStoreClient;
import io.aimstore.ops.cli.AlarmCommand;
import io.aimstore.ops.cli.AuditCommand;
import io.aimstore.ops.cli.CheckCommand;
import io.aimstore.ops.cli.CompactCommand;
import io.aimstore.ops.cli.CompletionCommand;
import io.aimstore.ops.cli.ConfigCommand;
import io.aimstore.ops.cli.DelCommand;
import io.aimstore.ops.cli.Durations;
import io.aimstore.ops.cli.FleetCommand;
import io.aimstore.ops.cli.GetCommand;
import io.aimstore.ops.cli.Grants;
import io.aimstore.ops.cli.HelpCommand;
import io.aimstore.ops.cli.LeaseCommand;
import io.aimstore.ops.cli.LockCommand;
import io.aimstore.ops.cli.MemberCommand;
import io.aimstore.ops.cli.PutCommand;
import io.aimstore.ops.cli.RoleCommand;
import io.aimstore.ops.cli.RolloutCommand;
import io.aimstore.ops.cli.SnapshotCommand;
import io.aimstore.ops.cli.StatusCommand;
import io.aimstore.ops.cli.TxnCommand;
import io.aimstore.ops.cli.UserCommand;
import io.aimstore.ops.cli.WatchCommand;
import io.aimstore.ops.cli.WhoamiCommand;
import io.aimstore.ops.output.Format;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** aimctl: the operator's command line for aimstore, built on the Java client. */
@Command(
    name = "aimctl",
    mixinStandardHelpOptions = true,
    version = "aimctl 0.1.0",
    description = {
      "Talk to an aimstore cluster: keys, leases, locks, watches, members, configs and rollouts.",
      "",
      "The cluster: --endpoints, else $AIMSTORE_ENDPOINTS, else the cluster directory"
          + " (--cluster-dir, else $AIMSTORE_CLUSTER_DIR, else this checkout's .local-cluster/)"
          + " whose cluster.env records its ports, else 127.0.0.1:7401-7403."
    },
    footer = {
      "",
      "Exit codes: 0 done; 1 a request failed (a failed write also says whether it applied);"
          + " 2 wrong command line or configuration; status: 3 degraded, 4 no quorum;"
          + " lock run: see 'aimctl lock run --help'.",
      "Every command takes --help; 'aimctl completion bash' prints shell completion."
    },
    subcommands = {
      PutCommand.class,
      GetCommand.class,
      DelCommand.class,
      TxnCommand.class,
      CompactCommand.class,
      SnapshotCommand.class,
      StatusCommand.class,
      CheckCommand.class,
      AlarmCommand.class,
      MemberCommand.class,
      LeaseCommand.class,
      WatchCommand.class,
      LockCommand.class,
      AuditCommand.class,
      WhoamiCommand.class,
      RoleCommand.class,
      UserCommand.class,
      ConfigCommand.class,
      RolloutCommand.class,
      FleetCommand.class,
      HelpCommand.class,
      CompletionCommand.class
    })
public final class Aimctl implements AutoCloseable {

  @Option(
      names = "--endpoints",
      split = ",",
      scope = ScopeType.INHERIT,
      paramLabel = "HOST:PORT",
      description = "Members' client addresses (default: see 'aimctl --help').")
  List<String> endpoints;

  @Option(
      names = "--cluster-dir",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description =
          "A local cluster's directory, as aimstore-cluster --dir (default:"
              + " $AIMSTORE_CLUSTER_DIR, else this checkout's .local-cluster/).")
  Path clusterDir;

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
      paramLabel = "DURATION",
      description =
          "How long a request may take, across retries (e.g. 5s, 1m). Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(
      names = "--insecure",
      scope = ScopeType.INHERIT,
      description =
          "Plaintext, no certificate: only a cluster started with --insecure (development only)"
              + " accepts it.")
  boolean insecure;

  @Option(
      names = "--cacert",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "The cluster CA certificate (default: the cluster directory's tls/ca.crt).")
  Path cacert;

  @Option(
      names = "--cert",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Your client certificate: who the store says you are (default: the cluster directory's"
              + " tls/operator.crt).")
  Path cert;

  @Option(
      names = "--key",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Your certificate's private key (default: NAME.key beside --cert NAME.crt, else the"
              + " cluster directory's tls/operator.key).")
  Path key;

  private final Map<String, String> env;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final Path checkout;
  private ClusterTarget target;
  private AimStoreClient client;

  /** An aimctl on this process's standard input. */
  public Aimctl(Map<String, String> env, PrintStream out, PrintStream err) {
    this(env, System.in, out, err);
  }

  /**
   * @param env the environment ({@code AIMSTORE_*})
   * @param in where values and transactions given as "-" are read from
   * @param out where results go
   * @param err where messages and errors go
   */
  public Aimctl(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    this.env = env;
    this.in = in;
    this.out = out;
    this.err = err;
    String home = System.getProperty("aimstore.home");
    this.checkout = home == null || home.isBlank() ? null : Path.of(home);
  }

  public static void main(String[] args) {
    // gRPC logs through java.util.logging; its warnings are not for aimctl's users.
    java.util.logging.LogManager.getLogManager().reset();
    int code;
    try (Aimctl root = new Aimctl(System.getenv(), System.out, System.err)) {
      code = root.run(args);
    }
    System.exit(code);
  }

  /** Runs one command line; returns the exit code (see {@link ExitCodes}). */
  public int run(String... args) {
    return commandLine().execute(args);
  }

  /** The whole command tree, wired to this instance's streams and error reporting. */
  public CommandLine commandLine() {
    CommandLine cl = new CommandLine(this);
    cl.registerConverter(Duration.class, parsedBy(Durations::parse));
    cl.registerConverter(Grant.class, parsedBy(Grants::parse));
    withHelpOptions(cl);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) ->
            ErrorReport.print(
                e, cmd.getCommand(), target, cmd.getErr(), "1".equals(env.get("AIMCTL_DEBUG"))));
    cl.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine cmd = e.getCommandLine();
          cmd.getErr().println("aimctl: " + e.getMessage());
          cmd.getErr().println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
          return ExitCodes.USAGE;
        });
    return cl;
  }

  /** Gives every subcommand -h/--help (aimctl itself has them, and -V/--version). */
  private static void withHelpOptions(CommandLine cl) {
    if (cl.getCommandSpec().options().stream().noneMatch(o -> o.usageHelp())) {
      cl.getCommandSpec().addMixin("help", CommandSpec.forAnnotatedObject(new HelpOption()));
    }
    cl.getSubcommands().values().forEach(Aimctl::withHelpOptions);
  }

  /** The -h/--help option every command takes. */
  static final class HelpOption {
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;
  }

  public Format format() {
    return format;
  }

  /** Standard input. */
  public InputStream in() {
    return in;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  /** The --timeout: how long one request may take. */
  public Duration timeout() {
    return timeout;
  }

  /** Which cluster this invocation talks to (see {@link ClusterTarget}). */
  public ClusterTarget target() {
    if (target == null) {
      target =
          ClusterTarget.resolve(endpoints, clusterDir, env, checkout)
              .withTls(new ClusterTarget.TlsFlags(insecure, cacert, cert, key), env, checkout);
    }
    return target;
  }

  /** The client, built on first use for {@link #target()}. */
  public AimStoreClient client() {
    if (client == null) {
      ClusterTarget t = target();
      t.checkResolvable();
      client =
          AimStoreClient.builder()
              .endpoints(t.endpoints())
              .tls(t.tls().orElse(null))
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

  /** A mistake in how a command was called or configured: one line, exit code 2. */
  public static final class UsageError extends RuntimeException {
    public UsageError(String message) {
      super(message);
    }
  }

  /** A command that failed in its own way: one line, its own exit code. */
  public static final class CommandFailure extends RuntimeException {
    private final int exitCode;

    public CommandFailure(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  /**
   * How every option of a type is read: by {@code parse}, whose IllegalArgumentException becomes a
   * usage error naming the option.
   */
  private static <T> CommandLine.ITypeConverter<T> parsedBy(Function<String, T> parse) {
    return value -> {
      try {
        return parse.apply(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    };
  }

  static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "table" -> Format.TABLE;
        case "json" -> Format.JSON;
        default ->
            throw new CommandLine.TypeConversionException("expected table or json, got " + value);
      };
    }
  }
}
