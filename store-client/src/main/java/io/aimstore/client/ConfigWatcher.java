package io.aimstore.client;

import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import java.util.List;

/**
 * A drone's view of one config key: reads the current value, then watches from that read's revision
 * + 1, and hands every new value to the application exactly once, in order — across reconnects and
 * compactions. A value written under a lock's fencing token older than one already applied is
 * refused ("lock mismatch") instead of applied: a late write from a revoked holder never reaches
 * the drone.
 *
 * <p>Thread-safe; the listener is called on a client thread, one call at a time.
 */
public final class ConfigWatcher implements AutoCloseable {

  /** What the application is told. Called on a client thread, one call at a time. */
  public interface Listener {
    /** A new value to apply. */
    void onConfig(KeyValue config);

    /** A value that must not be applied: its fencing token is older than one already applied. */
    default void onRejected(KeyValue config, String reason) {}

    /** The key was deleted at {@code revision}. */
    default void onDeleted(long revision) {}
  }

  private final AimStoreClient client;
  private final String key;
  private final Listener listener;
  private long lastModRevision;
  private long highestToken;

  /** Whether the key existed as of {@link #lastModRevision}. */
  private boolean present;

  private WatchHandle handle;
  private boolean closed;

  private ConfigWatcher(AimStoreClient client, String key, Listener listener) {
    this.client = client;
    this.key = key;
    this.listener = listener;
  }

  /**
   * Starts watching {@code key}; its current value, if any, is delivered first. Blocks for the
   * first read.
   *
   * @throws AimStoreException when the first read fails
   */
  public static ConfigWatcher start(AimStoreClient client, String key, Listener listener) {
    ConfigWatcher w = new ConfigWatcher(client, key, listener);
    w.resync();
    return w;
  }

  /** Reads the current value, then watches from the read's revision + 1. */
  private synchronized void resync() {
    if (closed) {
      return;
    }
    RangeResponse r =
        AimStoreClient.await(
            client.kv().get(RangeRequest.newBuilder().setKey(KV.utf8(key)).build()));
    if (r.getKvsCount() > 0) {
      offer(r.getKvs(0));
    } else if (present) {
      // deleted in history we could not watch (compacted): the application must still hear of it
      deleted(r.getHeader().getRevision());
    }
    handle =
        client
            .watch()
            .watch(
                WatchOptions.key(key).fromRevision(r.getHeader().getRevision() + 1),
                new WatchListener() {
                  @Override
                  public void onRevision(long revision, List<Event> events) {
                    for (Event e : events) {
                      if (e.getType() == Event.EventType.PUT) {
                        offer(e.getKv());
                      } else {
                        deleted(revision);
                      }
                    }
                  }

                  @Override
                  public void onCompacted(long compactRevision) {
                    resync();
                  }
                });
  }

  private synchronized void offer(KeyValue kv) {
    if (closed || kv.getModRevision() <= lastModRevision) {
      return;
    }
    lastModRevision = kv.getModRevision();
    present = true;
    if (kv.getFenceToken() != 0 && kv.getFenceToken() < highestToken) {
      listener.onRejected(
          kv,
          "lock mismatch: written under fencing token "
              + kv.getFenceToken()
              + ", older than token "
              + highestToken
              + " already applied");
      return;
    }
    highestToken = Math.max(highestToken, kv.getFenceToken());
    listener.onConfig(kv);
  }

  private synchronized void deleted(long revision) {
    if (!closed && revision > lastModRevision) {
      lastModRevision = revision;
      present = false;
      listener.onDeleted(revision);
    }
  }

  /** The highest fencing token among the values applied so far. */
  public synchronized long highestAppliedToken() {
    return highestToken;
  }

  /** Stops watching (idempotent); no new listener call starts after it returns. */
  @Override
  public synchronized void close() {
    closed = true;
    if (handle != null) {
      handle.close();
    }
  }
}
