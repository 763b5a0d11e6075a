package io.aimstore.client;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a client proves itself with over mutual TLS: the cluster CA certificate (to trust the
 * members), and the client's own certificate and private key (PEM; the key PKCS#8). The
 * certificate's identity (its URI SAN, e.g. {@code spiffe://aimstore/operator/admin}) is who the
 * store says the client is; see docs/security.md.
 *
 * @param caFile the cluster CA certificate
 * @param certFile the client's certificate, issued by that CA
 * @param keyFile the client's private key
 */
public record TlsFiles(Path caFile, Path certFile, Path keyFile) {

  /**
   * The files in a TLS directory laid out by {@code aimstore-certs}: {@code ca.crt}, and {@code
   * NAME.crt} / {@code NAME.key} for the given base name (e.g. "operator").
   */
  public static TlsFiles in(Path dir, String name) {
    return new TlsFiles(
        dir.resolve("ca.crt"), dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
  }

  /**
   * Fails with a message naming the first file that is missing or unreadable.
   *
   * @throws IllegalArgumentException if one is
   */
  public TlsFiles check() {
    for (Path p : new Path[] {caFile, certFile, keyFile}) {
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException(
            "TLS file " + p + (Files.exists(p) ? " is not readable" : " does not exist"));
      }
    }
    return this;
  }
}
