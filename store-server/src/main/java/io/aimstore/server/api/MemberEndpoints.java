package io.aimstore.server.api;

/**
 * How to reach one member.
 *
 * @param name member name (n1, n2, ...)
 * @param raft host:port of its Raft service
 * @param client host:port of its client gRPC API
 * @param metrics host:port of its metrics and health HTTP endpoint
 */
public record MemberEndpoints(String name, String raft, String client, String metrics) {}
