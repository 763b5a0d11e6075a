package io.aimstore.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts one aimstore member: {@code aimstore-server --config FILE} or flags (see {@link
 * NodeConfig}).
 */
public final class Main {
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
