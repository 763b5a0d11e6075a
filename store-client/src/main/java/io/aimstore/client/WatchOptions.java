package io.aimstore.client;

import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;

/**
 * What to watch.
 *
 * @param key first key (or the only key when {@code rangeEnd} is empty)
 * @param rangeEnd exclusive end of the range; empty for one key
 * @param startRevision first revision to deliver; 0 for "changes after now"
 * @param prevKv deliver each key's previous value with its events
 * @param noPut leave out PUT events
 * @param noDelete leave out DELETE events
 * @param progressNotify ask for periodic progress notifications while idle
 */
public record WatchOptions(
    ByteString key,
    ByteString rangeEnd,
    long startRevision,
    boolean prevKv,
    boolean noPut,
    boolean noDelete,
    boolean progressNotify) {

  /** Changes to one key (UTF-8), from now on. */
  public static WatchOptions key(String key) {
    return new WatchOptions(
        ByteString.copyFromUtf8(key), ByteString.EMPTY, 0, false, false, false, false);
  }

  /** Changes to every key starting with {@code prefix} (UTF-8), from now on. */
  public static WatchOptions prefix(String prefix) {
    ByteString p = ByteString.copyFromUtf8(prefix);
    return new WatchOptions(p, KeyRanges.prefixEnd(p), 0, false, false, false, false);
  }

  /** The same, starting at {@code revision} (replaying retained history from there). */
  public WatchOptions fromRevision(long revision) {
    return new WatchOptions(key, rangeEnd, revision, prevKv, noPut, noDelete, progressNotify);
  }

  /** The same, with each key's previous value. */
  public WatchOptions withPrevKv() {
    return new WatchOptions(key, rangeEnd, startRevision, true, noPut, noDelete, progressNotify);
  }

  /** The same, with periodic progress notifications while idle. */
  public WatchOptions withProgressNotify() {
    return new WatchOptions(key, rangeEnd, startRevision, prevKv, noPut, noDelete, true);
  }

  /** The same, without DELETE events. */
  public WatchOptions withoutDeletes() {
    return new WatchOptions(key, rangeEnd, startRevision, prevKv, noPut, true, progressNotify);
  }

  /** The same, without PUT events. */
  public WatchOptions withoutPuts() {
    return new WatchOptions(key, rangeEnd, startRevision, prevKv, true, noDelete, progressNotify);
  }
}
