package io.aimstore.certs;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * A certificate and its private key, as issued; written as PEM files (the key as PKCS#8, readable
 * by its owner only).
 */
public record Certificate(X509Certificate cert, PrivateKey key) {

  /** Writes {@code base}.crt and {@code base}.key; returns the certificate file. */
  public Path write(Path dir, String base) {
    try {
      Files.createDirectories(dir);
      Path crt = dir.resolve(base + ".crt");
      Path key = dir.resolve(base + ".key");
      Files.writeString(crt, pem(cert));
      writePrivate(key, pem(new JcaPKCS8Generator(this.key, null)));
      return crt;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }

  static void writePrivate(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's protection has to do
    }
    Files.writeString(file, content);
  }
}
