package io.aimstore.bench.driver;

import java.time.Duration;

/**
 * One lock contender with its own connection and session. Blocking, and used from one thread (a
 * Curator mutex must be released by the thread that acquired it).
 */
public interface LockClient extends AutoCloseable {

  /**
   * Waits up to {@code wait} until this client holds lock {@code name}; closing the returned handle
   * releases it.
   *
   * @throws Exception when the wait runs out or the system refuses
   */
  Held acquire(String name, Duration wait) throws Exception;

  /**
   * The TTL of this client's session as the store granted it, in milliseconds (ZooKeeper negotiates
   * a session timeout within its configured bounds), or -1 when the client does not say.
   */
  default long sessionTtlMs() {
    return -1;
  }

  /** Ends the session (releasing anything still held) and the connection. */
  @Override
  void close();

  /** A held lock. */
  interface Held extends AutoCloseable {
    @Override
    void close() throws Exception;
  }

  /** What {@link #acquire} does. */
  @FunctionalInterface
  interface Acquire {
    Held acquire(String name, Duration wait) throws Exception;
  }

  /** A client that acquires with {@code acquire} and ends with {@code close}. */
  static LockClient of(Acquire acquire, Runnable close) {
    return new LockClient() {
      @Override
      public Held acquire(String name, Duration wait) throws Exception {
        return acquire.acquire(name, wait);
      }

      @Override
      public void close() {
        close.run();
      }
    };
  }
}
