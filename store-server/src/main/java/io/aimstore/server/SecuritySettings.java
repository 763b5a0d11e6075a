package io.aimstore.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a member proves who it is and checks who its callers are.
 *
 * @param insecure plaintext on every port and no identities (every caller may do everything):
 *     development only, and logged loudly at start
 * @param caFile the cluster CA certificate (PEM): clients and peers must present certificates it
 *     issued
 * @param certFile this member's certificate (PEM), issued by the CA for {@code
 *     spiffe://aimstore/member/<name>} and the member's host names and addresses
 * @param keyFile this member's private key (PEM, PKCS#8)
 * @param maxQuarantine the longest quarantine a force-release may ask for
 */
public record SecuritySettings(
    boolean insecure, Path caFile, Path certFile, Path keyFile, Duration maxQuarantine) {

  public static final Duration DEFAULT_MAX_QUARANTINE = Duration.ofHours(1);

  /** Plaintext, for tests and development. */
  public static SecuritySettings insecureForDevelopment() {
    return new SecuritySettings(true, null, null, null, DEFAULT_MAX_QUARANTINE);
  }

  /** TLS with the member's files in {@code dir}: ca.crt, NAME.crt and NAME.key. */
  public static SecuritySettings tlsIn(Path dir, String name) {
    return new SecuritySettings(
        false,
        dir.resolve("ca.crt"),
        dir.resolve(name + ".crt"),
        dir.resolve(name + ".key"),
        DEFAULT_MAX_QUARANTINE);
  }

  public SecuritySettings withMaxQuarantine(Duration d) {
    return new SecuritySettings(insecure, caFile, certFile, keyFile, d);
  }
}
