package io.aimstore.bench.driver;

/**
 * Key watches spread over a few clients connected to one member. aimstore: the client's own watch
 * API (all watches of one client share one stream); etcd: etcd's gRPC Watch API, every watch of a
 * client multiplexed on one stream (as etcd's Go client does; jetcd opens a stream per watch);
 * ZooKeeper: a data watch ({@code exists}) per key, registered again after every event, since
 * ZooKeeper's watches fire once.
 */
public interface Watchers extends AutoCloseable {

  int clients();

  /**
   * Watches every change of {@code key} from now on, on client {@code client}; {@code listener} is
   * called once per change, on a client thread. Returns once the request is sent, not when the
   * watch is registered.
   */
  void watch(int client, String key, WatchListener listener);

  @Override
  void close();

  /** Receives one watch's changes. */
  @FunctionalInterface
  interface WatchListener {
    /**
     * @param revision the change's revision (aimstore, etcd) or -1 (ZooKeeper's events carry none)
     * @param receivedNanos {@link System#nanoTime()} when the client handed the event over
     */
    void changed(String key, long revision, long receivedNanos);
  }
}
