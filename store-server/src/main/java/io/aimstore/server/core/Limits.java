package io.aimstore.server.core;

import java.time.Duration;

/**
 * Size and range limits of requests: the one place that decides them. The api layer rejects a
 * request over a limit before it reaches the log; apply checks the state-dependent rest.
 *
 * @param maxKeyBytes largest key
 * @param maxValueBytes largest value
 * @param maxTxnOps most operations in one branch of a transaction, and most compares
 * @param maxRequestBytes largest serialized write request
 * @param minLeaseTtl shortest lease TTL (at least twice the election timeout, or an election could
 *     expire healthy sessions)
 * @param maxLeaseTtl longest lease TTL
 */
public record Limits(
    int maxKeyBytes,
    int maxValueBytes,
    int maxTxnOps,
    int maxRequestBytes,
    Duration minLeaseTtl,
    Duration maxLeaseTtl) {

  public static final Limits DEFAULT =
      new Limits(
          4 * 1024, 1024 * 1024, 128, 3 * 512 * 1024, Duration.ofSeconds(2), Duration.ofDays(30));

  /** The prefix of keys the store itself manages (locks, audit); clients may read, not write. */
  public static final String RESERVED_PREFIX = "/_aimstore/";
}
