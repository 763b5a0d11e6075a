package io.aimstore.server.api;

/**
 * What the {@link CorruptionCheck} does when two members' keyspaces differ: raise the replicated
 * CORRUPT alarm (through the log: the gauge {@code aimstore.alarm.active{alarm=CORRUPT}} on every
 * member, an ALARM line in {@code aimctl status}). The alarm stays raised until an operator clears
 * it ({@code aimctl alarm disarm}); raising it again is harmless.
 */
public interface CorruptionAlarm {
  /**
   * Members {@code memberA} and {@code memberB} hashed their keyspace at {@code revision}, with the
   * same compact revision, and got different hashes.
   */
  void raise(String memberA, String memberB, long revision);
}
