package io.aimstore.bench.driver;

/**
 * ZooKeeper's stand-in for "grant a lease, put a key on it": an ephemeral znode, which lives as
 * long as the session that created it. A session per operation would add a session creation (and
 * its close) to every operation, so all ephemerals of a run share one session.
 */
public interface EphemeralDriver {

  /** Opens a new session for ephemerals; closing it deletes them all. */
  EphemeralSession openEphemeralSession() throws Exception;
}
