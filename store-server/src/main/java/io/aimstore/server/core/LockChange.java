package io.aimstore.server.core;

/**
 * The holder of a lock changed in an applied entry. {@code holderToken} is 0 when nobody holds it
 * (free, or quarantined after a force-release).
 */
public record LockChange(String name, long holderToken, long holderLease) {}
