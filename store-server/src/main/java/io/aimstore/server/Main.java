package io.aimstore.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts one aimstore member: {@code aimstore-server --config FILE} or flags (see {@link
 * NodeConfig}).
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

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Logger log = LoggerFactory.getLogger(Main.class);
    NodeConfig config;
    AimstoreNode node;
    try {
      config = NodeConfig.load(args, System.getenv());
      node = AimstoreNode.start(config);
    } catch (ConfigException e) {
      System.err.println("aimstore: " + e.getMessage());
      System.exit(2);
      return;
    } catch (Exception e) {
      System.err.println("aimstore: failed to start: " + e);
      log.error("event=start_failed", e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "shutdown"));
  }
}
