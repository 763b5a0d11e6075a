package io.aimstore.server.raft;

/**
 * A member of the Raft group as this member sees it.
 *
 * @param name member name (n1, n2, ...)
 * @param raftAddress host:port of its Raft service
 * @param role LEADER, FOLLOWER or LISTENER
 */
public record MemberInfo(String name, String raftAddress, String role) {}
