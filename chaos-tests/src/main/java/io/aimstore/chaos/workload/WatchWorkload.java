package io.aimstore.chaos.workload;

import io.aimstore.api.v1.Event;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.chaos.check.WatchViolation;
import io.aimstore.chaos.history.KeyRange;
import io.aimstore.chaos.history.WatchEvent;
import io.aimstore.chaos.history.WatchLog;
import io.aimstore.chaos.history.WatchMessage;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.TlsFiles;
import io.aimstore.client.WatchHandle;
import io.aimstore.client.WatchListener;
import io.aimstore.client.WatchOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Watchers of the register keys' prefix, each on its own client (one stream each) starting on a
 * different member, all from the same start revision with progress notifications. The client
 * resumes them by itself across faults; everything they receive is logged for the {@link
 * io.aimstore.chaos.check.WatchChecker}. (The client does not tell its listeners when it resumes,
 * so the logs carry no resume markers.)
 */
public final class WatchWorkload {

  /** One watcher: its client, its handle and what it received. */
  private static final class Watcher implements WatchListener {
    final String id;
    final AimStoreClient client;
    final List<WatchMessage> messages = new ArrayList<>();
    volatile WatchHandle handle;
    volatile String ended;

    Watcher(String id, AimStoreClient client) {
      this.id = id;
      this.client = client;
    }

    @Override
    public void onRevision(long revision, List<Event> events) {
      List<WatchEvent> converted = new ArrayList<>();
      for (Event e : events) {
        KeyValue kv = e.getKv();
        long rev = kv.getModRevision() > 0 ? kv.getModRevision() : revision;
        String key = kv.getKey().toStringUtf8();
        converted.add(
            e.getType() == Event.EventType.DELETE
                ? WatchEvent.delete(rev, key)
                : WatchEvent.put(rev, key, kv.getValue().toStringUtf8()));
      }
      synchronized (messages) {
        messages.add(new WatchMessage.Events(converted));
      }
    }

    @Override
    public void onProgress(long revision) {
      synchronized (messages) {
        messages.add(new WatchMessage.Progress(revision));
      }
    }

    @Override
    public void onCompacted(long compactRevision) {
      ended = "compacted at " + compactRevision;
    }

    @Override
    public void onCanceled(String reason) {
      ended = "canceled: " + reason;
    }
  }

  private final String prefix;
  private final List<Watcher> watchers = new ArrayList<>();
  private long startRevision;

  public WatchWorkload(String prefix) {
    this.prefix = prefix;
  }

  /**
   * Starts one watcher per endpoint list, each from {@code startRevision}.
   *
   * @param endpoints for watcher {@code i}, the members its client may use, first the one it starts
   *     on
   */
  public void start(List<List<String>> endpoints, TlsFiles tls, long startRevision) {
    this.startRevision = startRevision;
    for (int i = 0; i < endpoints.size(); i++) {
      AimStoreClient client =
          AimStoreClient.builder()
              .endpoints(endpoints.get(i))
              .tls(tls)
              .requestTimeout(Duration.ofSeconds(6))
              .attemptTimeout(Duration.ofSeconds(2))
              .name("chaos-watcher-" + i)
              .build();
      Watcher w = new Watcher("w" + i, client);
      w.handle =
          client
              .watch()
              .watch(
                  WatchOptions.prefix(prefix).fromRevision(startRevision).withProgressNotify(), w);
      watchers.add(w);
    }
  }

  /**
   * Waits until every watcher has seen {@code revision} (delivered or covered by a progress
   * notification); returns a violation for each that has not, or has ended, by the deadline.
   */
  public List<WatchViolation> awaitRevision(long revision, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (watchers.stream().allMatch(w -> w.ended != null || w.handle.lastRevision() >= revision)) {
        break;
      }
      Thread.sleep(200);
    }
    List<WatchViolation> stalled = new ArrayList<>();
    for (Watcher w : watchers) {
      if (w.ended != null) {
        stalled.add(
            new WatchViolation(
                WatchViolation.Guarantee.RELIABLE,
                w.id,
                w.handle.lastRevision(),
                "the watch ended: " + w.ended));
      } else if (w.handle.lastRevision() < revision) {
        stalled.add(
            new WatchViolation(
                WatchViolation.Guarantee.RELIABLE,
                w.id,
                w.handle.lastRevision(),
                "stalled at revision "
                    + w.handle.lastRevision()
                    + " after the cluster recovered;"
                    + " the store acknowledged revision "
                    + revision
                    + " in its range ("
                    + timeout.toSeconds()
                    + " s wait)"));
      }
    }
    return stalled;
  }

  /** What every watcher received. */
  public List<WatchLog> logs() {
    List<WatchLog> out = new ArrayList<>();
    for (Watcher w : watchers) {
      synchronized (w.messages) {
        out.add(new WatchLog(w.id, KeyRange.prefix(prefix), startRevision, w.messages));
      }
    }
    return out;
  }

  /** Cancels the watches and closes their clients. */
  public void close() {
    for (Watcher w : watchers) {
      try {
        w.handle.close();
      } finally {
        w.client.close();
      }
    }
  }
}
