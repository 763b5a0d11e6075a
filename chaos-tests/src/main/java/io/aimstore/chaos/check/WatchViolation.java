package io.aimstore.chaos.check;

/**
 * One broken watch guarantee.
 *
 * @param guarantee which one
 * @param watchId the watcher that saw it
 * @param revision the revision concerned (for a progress notification, its revision)
 * @param detail for people
 */
public record WatchViolation(Guarantee guarantee, String watchId, long revision, String detail) {

  /** The watch guarantees, as etcd states them. */
  public enum Guarantee {
    /** Revisions strictly increase along a watch. */
    ORDERED,
    /** No event is delivered twice to one watch. */
    UNIQUE,
    /** All events of a revision in the watch's range arrive together, in one response. */
    ATOMIC,
    /** No matching revision is skipped between the watch's start and the last revision it saw. */
    RELIABLE,
    /** After resuming at R, the next event is at the first matching revision at or after R. */
    RESUMABLE,
    /** A progress notification at P comes after every matching event at or below P. */
    BOOKMARKABLE,
    /**
     * Every event happened as delivered: at or after the start revision, in the range, and, where
     * the reference knows its revision, equal to what the store committed.
     */
    VALID
  }

  @Override
  public String toString() {
    return guarantee + " watch " + watchId + " @" + revision + ": " + detail;
  }
}
