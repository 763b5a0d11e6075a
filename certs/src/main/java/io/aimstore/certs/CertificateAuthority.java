package io.aimstore.certs;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A cluster's certificate authority: signs member certificates (server and client use, with the
 * member's host names and addresses) and client certificates (operators, drones, services), each
 * naming its identity as a URI subject alternative name. Keys are ECDSA P-256.
 */
public final class CertificateAuthority {
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);
  private static final String SIGNATURE = "SHA256withECDSA";

  private final X509Certificate cert;
  private final PrivateKey key;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private CertificateAuthority(X509Certificate cert, PrivateKey key, Clock clock) {
    this.cert = cert;
    this.key = key;
    this.clock = clock;
  }

  /** A new self-signed CA named {@code name}. */
  public static CertificateAuthority create(String name, Clock clock) {
    try {
      KeyPair kp = keyPair();
      Instant now = clock.instant();
      X500Name subject = name(name);
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(new SecureRandom()),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(CA_VALIDITY)),
              subject,
              kp.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      return new CertificateAuthority(sign(b, kp.getPrivate()), kp.getPrivate(), clock);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create a CA", e);
    }
  }

  /** The CA stored as {@code ca.crt} and {@code ca.key} in {@code dir}. */
  public static CertificateAuthority load(Path dir, Clock clock) {
    try (Reader c = Files.newBufferedReader(dir.resolve("ca.crt"));
        Reader k = Files.newBufferedReader(dir.resolve("ca.key"));
        PEMParser certs = new PEMParser(c);
        PEMParser keys = new PEMParser(k)) {
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate((X509CertificateHolder) certs.readObject());
      Object o = keys.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      PrivateKey key =
          o instanceof PEMKeyPair p
              ? conv.getKeyPair(p).getPrivate()
              : conv.getPrivateKey((PrivateKeyInfo) o);
      return new CertificateAuthority(cert, key, clock);
    } catch (IOException | GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException(
          "cannot read the CA in " + dir + " (ca.crt and ca.key): " + e.getMessage(), e);
    }
  }

  /** Writes ca.crt and ca.key (readable by its owner only) into {@code dir}. */
  public void write(Path dir) {
    new Certificate(cert, key).write(dir, "ca");
  }

  public X509Certificate certificate() {
    return cert;
  }

  /**
   * A member's certificate: server and client authentication (it serves clients and peers and calls
   * peers), for the identity {@code spiffe://aimstore/member/<name>} and the given host names and
   * IP addresses.
   */
  public Certificate member(String name, List<String> hosts, Duration validity) {
    return issue(Identities.member(name), name, hosts, true, validity);
  }

  /** A client certificate (operator, drone or service) for {@code identity}. */
  public Certificate client(String identity, String commonName, Duration validity) {
    return issue(identity, commonName, List.of(), false, validity);
  }

  private Certificate issue(
      String identity, String commonName, List<String> hosts, boolean server, Duration validity) {
    try {
      KeyPair kp = keyPair();
      Instant now = clock.instant();
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              cert,
              serial(random),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(validity)),
              name(commonName),
              kp.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          server
              ? new ExtendedKeyUsage(
                  new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})
              : new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      List<GeneralName> names = new ArrayList<>();
      names.add(new GeneralName(GeneralName.uniformResourceIdentifier, identity));
      for (String h : hosts) {
        names.add(
            isAddress(h)
                ? new GeneralName(GeneralName.iPAddress, h)
                : new GeneralName(GeneralName.dNSName, h));
      }
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      return new Certificate(sign(b, key), kp.getPrivate());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + identity, e);
    }
  }

  private static boolean isAddress(String host) {
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false;
    }
    try {
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "aimstore")
        .addRDN(BCStyle.CN, commonName)
        .build();
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
