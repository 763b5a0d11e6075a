package io.aimstore.server;

import io.aimstore.server.api.MemberEndpoints;
import io.aimstore.server.storage.DamagedFileException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts one aimstore member: {@code aimstore-server --config FILE} or flags (see {@link
 * NodeConfig}); {@code aimstore-server restore FILE ...} seeds a data directory from a snapshot
 * instead (see {@link Restore}). A member that cannot start says why in one line on stderr: exit
 * code 2 for what its operator must fix (a setting, the data directory, a port another process
 * holds, a damaged data file: snapshot, Raft log segment, RocksDB file), 1 for anything else.
 */
public final class Main {
  private static final String COMMON_POOL_PARALLELISM =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  static {
    // CompletableFuture's *Async calls without an executor (Ratis makes one for appends that reach
    // a follower while an earlier one is still being written) start a new thread for every task
    // when the common pool has fewer than two threads: on a 2-core host it has one. Measured on a
    // follower under lock cycles: up to 48 new threads a second. Two threads unless the operator
    // chose (before anything touches the pool).
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null
        && Runtime.getRuntime().availableProcessors() < 3) {
      System.setProperty(COMMON_POOL_PARALLELISM, "2");
    }
  }

  private Main() {}

  /** What {@code aimstore --help} prints. */
  static final String USAGE =
      String.join(
          "\n",
          "usage: aimstore --config FILE [--key value ...]",
          "       aimstore restore FILE --data-dir DIR --name NAME --initial-cluster n1,n2,n3"
              + " [--cluster NAME] [--initial-cluster-token TEXT]",
          "Runs one aimstore member: settings from FILE, AIMSTORE_* variables and --key value"
              + " flags (later sources win); see docs/operations.md, 'Running members'.",
          "'restore' seeds a member's data directory from an 'aimctl snapshot save' file, for a NEW"
              + " cluster; see docs/operations.md, 'Backup and restore'.",
          "Exit codes: 2 for what the operator must fix (a setting, a file, a port in use), 1 for"
              + " anything else.");

  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(USAGE);
      return;
    }
    if (args.length > 1
        && args[0].equals("restore")
        && (args[1].equals("--help") || args[1].equals("-h"))) {
      System.out.println(USAGE);
      return;
    }
    if (args.length > 0 && args[0].equals("restore")) {
      System.exit(
          Restore.main(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
      return;
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Logger log = LoggerFactory.getLogger(Main.class);
    NodeConfig config;
    AimstoreNode node;
    try {
      config = NodeConfig.load(args, System.getenv());
      checkPortsFree(config.self());
      node = AimstoreNode.start(config);
    } catch (ConfigException e) {
      System.err.println("aimstore: " + e.getMessage());
      System.exit(2);
      return;
    } catch (DamagedFileException e) {
      System.err.println("aimstore: " + e.getMessage());
      System.exit(2);
      return;
    } catch (Exception e) {
      if (portTaken(e)) {
        // lost a race with another process for a port checked free a moment ago
        System.err.println("aimstore: cannot listen: a port of this member is in use: " + e);
        System.exit(2);
        return;
      }
      System.err.println("aimstore: failed to start: " + e);
      log.error("event=start_failed", e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "shutdown"));
  }

  /** Fails with the address another process holds, before anything is started. */
  static void checkPortsFree(MemberEndpoints self) throws ConfigException {
    String[][] addresses = {
      {"client", self.client()}, {"raft", self.raft()}, {"metrics", self.metrics()}
    };
    for (String[] a : addresses) {
      int colon = a[1].lastIndexOf(':');
      InetSocketAddress socket =
          new InetSocketAddress(
              a[1].substring(0, colon), Integer.parseInt(a[1].substring(colon + 1)));
      try (ServerSocket s = new ServerSocket()) {
        s.bind(socket);
      } catch (IOException e) {
        throw new ConfigException(
            "cannot listen on "
                + a[0]
                + " address "
                + a[1]
                + ": "
                + (e instanceof BindException ? "in use by another process" : e.getMessage())
                + " (is this member already running?)");
      }
    }
  }

  private static boolean portTaken(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }
}
