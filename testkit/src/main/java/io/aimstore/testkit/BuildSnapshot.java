package io.aimstore.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The server and aimctl builds a {@link ProcessCluster} runs: finds the repository, builds the jars
 * when they are missing (and warns when they are older than their sources), and takes a private
 * copy of them for a run.
 *
 * <p>The copy ({@link #snapshot}) holds {@code ops/bin/aimstore-cluster}, {@code ops/bin/aimctl}
 * (and the {@code ops/bin/lib} they source), the server's and aimctl's jars and their libraries, in
 * the repository's layout so the scripts work unchanged from it. Members started (and restarted)
 * during a run load their classes from the copy: a JVM loads classes lazily, and a rebuild of
 * {@code store-server/target} in the middle of a run (another build on the same checkout) would
 * otherwise crash running members with {@code NoClassDefFoundError} and change what is being tested
 * or measured.
 */
public final class BuildSnapshot {
  private static final List<String> SCRIPTS =
      List.of("ops/bin/aimstore-cluster", "ops/bin/aimctl", "ops/bin/lib/build.sh");
  private static final List<String> JARS =
      List.of(
          "store-server/target/aimstore-server.jar",
          "ops/target/aimstore-ops.jar",
          "certs/target/aimstore-certs.jar");
  private static final List<String> LIBS =
      List.of("store-server/target/lib", "ops/target/lib", "certs/target/lib");

  private static final List<String> SOURCES =
      List.of(
          "pom.xml",
          "proto/src",
          "proto/pom.xml",
          "store-client/src/main",
          "store-client/pom.xml",
          "store-server/src/main",
          "store-server/pom.xml",
          "ops/src/main",
          "ops/pom.xml",
          "certs/src/main",
          "certs/pom.xml");

  private static final String BUILD =
      "mvn -B -DskipTests -Dspotless.check.skip=true package -pl certs,store-server,ops -am";

  private BuildSnapshot() {}

  /**
   * The repository root: the system property {@code aimstore.repo}, or the first directory at or
   * above the working directory that holds {@code ops/bin/aimstore-cluster}.
   */
  public static Path repoRoot() {
    String configured = System.getProperty("aimstore.repo");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("ops/bin/aimstore-cluster"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find the aimstore repository above "
            + Path.of("").toAbsolutePath()
            + "; set -Daimstore.repo=DIR");
  }

  /**
   * Builds the server and aimctl jars if they are missing; warns if they are older than a source
   * file (rebuilding behind the back of whoever else builds in this tree is worse).
   */
  public static void ensureBuilt(Path root) throws IOException, InterruptedException {
    String why = staleness(root);
    if (why == null) {
      return;
    }
    if (!why.endsWith(" is missing")) {
      System.out.println(
          "[testkit] warning: the server jar may be stale ("
              + why
              + "); rebuild with '"
              + BUILD
              + "'");
      return;
    }
    System.out.println("[testkit] building the server (" + why + ")...");
    List<String> command = new ArrayList<>(List.of(BUILD.split(" ")));
    command.add(1, "-q");
    Process p =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("building the server took more than 15 minutes");
    }
    if (p.exitValue() != 0) {
      throw new IOException("building the server failed; run '" + BUILD + "' to see why");
    }
  }

  /**
   * Copies the build from {@code repo} into {@code dest} and returns {@code dest}, the root to run
   * the scripts from. Every jar is checked to open; a copy caught in the middle of a rebuild is
   * retried (5 attempts, 5 s apart).
   */
  public static Path snapshot(Path repo, Path dest) throws IOException, InterruptedException {
    IOException last = null;
    for (int attempt = 1; attempt <= 5; attempt++) {
      try {
        Commands.deleteTree(dest);
        copy(repo, dest);
        return dest;
      } catch (IOException e) {
        last = e;
        Thread.sleep(5000);
      }
    }
    throw new IOException("could not copy aimstore's build from " + repo + ": " + last, last);
  }

  private static void copy(Path repo, Path dest) throws IOException {
    for (String s : SCRIPTS) {
      Path to = dest.resolve(s);
      Files.createDirectories(to.getParent());
      Files.copy(repo.resolve(s), to, StandardCopyOption.COPY_ATTRIBUTES);
    }
    List<Path> jars = new ArrayList<>();
    for (String j : JARS) {
      Path to = dest.resolve(j);
      Files.createDirectories(to.getParent());
      Files.copy(repo.resolve(j), to);
      jars.add(to);
    }
    for (String l : LIBS) {
      Path to = dest.resolve(l);
      Files.createDirectories(to);
      try (Stream<Path> files = Files.list(repo.resolve(l))) {
        for (Path f : files.toList()) {
          Path copy = to.resolve(f.getFileName());
          Files.copy(f, copy);
          jars.add(copy);
        }
      }
    }
    for (Path jar : jars) {
      if (jar.toString().endsWith(".jar")) {
        try (ZipFile z = new ZipFile(jar.toFile())) {
          z.size();
        } catch (IOException e) {
          throw new IOException(jar + " is not a readable jar (being rebuilt?)", e);
        }
      }
    }
  }

  /** Why the jars must be built, or null if they are up to date. */
  static String staleness(Path root) throws IOException {
    Path jar = root.resolve(JARS.get(0));
    List<String> needed = new ArrayList<>(JARS);
    needed.addAll(LIBS);
    for (String n : needed) {
      if (!Files.exists(root.resolve(n))) {
        return root.resolve(n) + " is missing";
      }
    }
    FileTime built = Files.getLastModifiedTime(jar);
    for (String source : SOURCES) {
      Path dir = root.resolve(source);
      if (!Files.exists(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        Path newer =
            files
                .filter(Files::isRegularFile)
                .filter(f -> modified(f).compareTo(built) > 0)
                .findFirst()
                .orElse(null);
        if (newer != null) {
          return newer + " is newer than " + jar;
        }
      }
    }
    return null;
  }

  private static FileTime modified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
