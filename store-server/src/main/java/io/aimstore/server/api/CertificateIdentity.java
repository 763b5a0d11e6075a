package io.aimstore.server.api;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The identity a client certificate proves: its first URI subject alternative name (e.g. {@code
 * spiffe://aimstore/fleet/f1/drone/d7}), or {@code cn:<common name>} when it has none.
 */
public final class CertificateIdentity {
  private static final int URI_SAN = 6;
  public static final String MEMBER_PREFIX = "spiffe://aimstore/member/";

  private CertificateIdentity() {}

  /** The identity of {@code cert}, or null when it names none. */
  public static String of(X509Certificate cert) {
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && Integer.valueOf(URI_SAN).equals(san.get(0))) {
            return san.get(1).toString();
          }
        }
      }
    } catch (CertificateParsingException e) {
      return null;
    }
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return "cn:" + rdn.getValue();
        }
      }
    } catch (InvalidNameException e) {
      return null;
    }
    return null;
  }

  /** Whether {@code identity} is a member of the cluster (peers relay calls for clients). */
  public static boolean isMember(String identity) {
    return identity.startsWith(MEMBER_PREFIX);
  }
}
