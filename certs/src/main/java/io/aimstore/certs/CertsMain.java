package io.aimstore.certs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aimstore-certs}: makes and shows a cluster's TLS files (see {@link ClusterCertificates}).
 */
@Command(
    name = "aimstore-certs",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT, // every command takes --help and --version
    description = {
      "Makes a cluster's TLS files: the CA, member certificates, and certificates for operators,"
          + " drones and services. Each command creates only what is missing in DIR.",
      "Identities: members spiffe://aimstore/member/NAME, operators spiffe://aimstore/operator/NAME"
          + " (admins), drones spiffe://aimstore/fleet/FLEET/drone/DRONE (the drone role),"
          + " services spiffe://aimstore/client/NAME (no role until bound: aimctl role/user)."
    },
    subcommands = {
      CertsMain.Init.class,
      CertsMain.Member.class,
      CertsMain.Operator.class,
      CertsMain.Drone.class,
      CertsMain.Client.class,
      CertsMain.Show.class,
      CommandLine.HelpCommand.class
    })
public final class CertsMain {
  /** Options every command that writes takes. */
  static class Common {
    @Option(
        names = "--dir",
        required = true,
        description = "the cluster's TLS directory (e.g. .local-cluster/tls)")
    Path dir;

    @Option(
        names = "--days",
        defaultValue = "365",
        description = "validity of a new certificate in days (default ${DEFAULT-VALUE})")
    int days;

    ClusterCertificates certs() {
      return new ClusterCertificates(dir, Clock.systemUTC());
    }

    Duration validity() {
      if (days < 1 || days > 3650) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--days must be between 1 and 3650, got " + days);
      }
      return Duration.ofDays(days);
    }
  }

  @Command(
      name = "init",
      description = "Create the CA, the member certificates and the operator's certificate.")
  static final class Init implements Callable<Integer> {
    @CommandLine.Mixin Common common;

    @Option(
        names = "--members",
        split = ",",
        defaultValue = "n1,n2,n3",
        description = "member names (default ${DEFAULT-VALUE})")
    List<String> members;

    @Option(
        names = "--host",
        description =
            "a host name or IP address every member certificate names (repeat);"
                + " default 127.0.0.1 and localhost")
    List<String> hosts = new ArrayList<>();

    @Override
    public Integer call() {
      ClusterCertificates c = common.certs();
      List<String> h = hosts.isEmpty() ? List.of("127.0.0.1", "localhost") : hosts;
      c.ca();
      for (String m : members) {
        c.member(m, h, common.validity());
      }
      c.operator(ClusterCertificates.OPERATOR, common.validity());
      System.out.println("TLS files in " + c.dir());
      return 0;
    }
  }

  /** A command that issues one certificate and prints where it wrote it. */
  abstract static class Issue implements Callable<Integer> {
    @CommandLine.Mixin Common common;

    /** Issues the certificate (unless it exists) and says where it is. */
    abstract Path issue(ClusterCertificates certs, Duration validity);

    @Override
    public Integer call() {
      System.out.println(issue(common.certs(), common.validity()));
      return 0;
    }
  }

  @Command(name = "member", description = "Issue a member's certificate (server and client use).")
  static final class Member extends Issue {
    @Parameters(index = "0", description = "member name, e.g. n4")
    String name;

    @Option(
        names = "--host",
        required = true,
        description = "a host name or IP address clients and peers reach it by (repeat)")
    List<String> hosts;

    @Override
    Path issue(ClusterCertificates certs, Duration validity) {
      return certs.member(name, hosts, validity);
    }
  }

  @Command(
      name = "operator",
      description = "Issue an operator's certificate: an admin of the cluster.")
  static final class Operator extends Issue {
    @Parameters(index = "0", description = "operator name, e.g. alice")
    String name;

    @Override
    Path issue(ClusterCertificates certs, Duration validity) {
      return certs.operator(name, validity);
    }
  }

  @Command(name = "drone", description = "Issue a drone's certificate (the built-in drone role).")
  static final class Drone extends Issue {
    @Parameters(index = "0", description = "fleet, e.g. fleet-1")
    String fleet;

    @Parameters(index = "1", description = "drone, e.g. drone-7")
    String drone;

    @Override
    Path issue(ClusterCertificates certs, Duration validity) {
      return certs.drone(fleet, drone, validity);
    }
  }

  @Command(
      name = "client",
      description = "Issue a service's certificate; it has no role until one is bound to it.")
  static final class Client extends Issue {
    @Parameters(index = "0", description = "client name, e.g. monitoring")
    String name;

    @Option(
        names = "--identity",
        description = "the identity to certify (default spiffe://aimstore/client/NAME)")
    String identity;

    @Override
    Path issue(ClusterCertificates certs, Duration validity) {
      return certs.client(name, identity, validity);
    }
  }

  @Command(name = "show", description = "Show a certificate's identity, issuer and validity.")
  static final class Show implements Callable<Integer> {
    @Parameters(index = "0", description = "a PEM certificate file")
    Path file;

    @Override
    public Integer call() throws Exception {
      X509Certificate c;
      try (var in = Files.newInputStream(file)) {
        c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      System.out.println("subject:  " + c.getSubjectX500Principal().getName());
      System.out.println("issuer:   " + c.getIssuerX500Principal().getName());
      if (c.getSubjectAlternativeNames() != null) {
        for (List<?> san : c.getSubjectAlternativeNames()) {
          System.out.println("san:      " + san.get(1));
        }
      }
      System.out.println(
          "valid:    " + c.getNotBefore().toInstant() + " .. " + c.getNotAfter().toInstant());
      return 0;
    }
  }

  public static void main(String[] args) {
    CommandLine cli =
        new CommandLine(new CertsMain())
            .setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                  cmd.getErr().println("aimstore-certs: " + e.getMessage());
                  return 1;
                });
    System.exit(cli.execute(args));
  }
}
