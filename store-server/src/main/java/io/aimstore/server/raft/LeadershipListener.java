package io.aimstore.server.raft;

/** Told when this member starts or stops leading. Called on Ratis threads: return quickly. */
public interface LeadershipListener {

  /** This member leads and has applied every entry of earlier terms. */
  void onLeaderReady();

  /** This member no longer leads (or never did and a leader change was seen). */
  void onStepDown();
}
