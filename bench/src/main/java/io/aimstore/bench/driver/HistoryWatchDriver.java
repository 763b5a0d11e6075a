package io.aimstore.bench.driver;

import java.util.function.LongConsumer;

/**
 * A watch that starts in the past and replays the history (aimstore, etcd). ZooKeeper keeps no
 * history: a watch sees only changes after it is set.
 */
public interface HistoryWatchDriver {

  /**
   * Watches every key under {@code prefix} from {@code fromRevision} on a new client connected only
   * to the member at {@code address}; {@code onRevision} receives the revision of every event
   * delivered, in order. Closing the result ends the watch and the client.
   */
  AutoCloseable watchPrefixFrom(
      String address, String prefix, long fromRevision, LongConsumer onRevision) throws Exception;
}
