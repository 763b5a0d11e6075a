package io.aimstore.bench.driver;

import java.time.Duration;

/**
 * Each system's own lock: aimstore's Lock service ({@code client.locks()}), etcd's lock API
 * (jetcd's Lock client on a lease), ZooKeeper's Curator {@code InterProcessMutex}.
 */
public interface LockDriver {

  /**
   * A new, independent lock client: its own connection and its own session (aimstore: a session
   * lease; etcd: a lease kept alive by jetcd; ZooKeeper: a Curator client whose session timeout is
   * {@code ttl}) that dies {@code ttl} after the client stops renewing it.
   */
  LockClient newLockClient(Duration ttl) throws Exception;
}
