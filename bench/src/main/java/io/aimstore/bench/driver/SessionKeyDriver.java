package io.aimstore.bench.driver;

import java.time.Duration;

/**
 * A key that lives exactly as long as one client session, the session renewed by the client library
 * until the holder closes it or dies: aimstore's {@code Session} (a lease kept alive by the client)
 * with a key put on its lease; etcd's lease kept alive by jetcd with a key put on it; ZooKeeper's
 * ephemeral znode on a session whose timeout is the TTL.
 */
public interface SessionKeyDriver {

  /**
   * Opens a new session of {@code ttl} on its own connection and creates {@code key} on it.
   * Blocking; the key is there when this returns.
   */
  SessionKey holdKey(String key, byte[] value, Duration ttl) throws Exception;

  /** A held key and the session it lives on. */
  interface SessionKey extends AutoCloseable {

    /**
     * The session TTL as the store granted it, in milliseconds (ZooKeeper negotiates a session
     * timeout within its configured bounds).
     */
    long sessionTtlMs();

    /** Ends the session, deleting the key, and closes the connection. */
    @Override
    void close();

    /** A key held on a session of {@code sessionTtlMs} that {@code close} ends. */
    static SessionKey of(long sessionTtlMs, Runnable close) {
      return new SessionKey() {
        @Override
        public long sessionTtlMs() {
          return sessionTtlMs;
        }

        @Override
        public void close() {
          close.run();
        }
      };
    }
  }
}
