package io.aimstore.chaos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the repository, builds the server jars {@code ops/bin/aimstore-cluster} runs when they are
 * missing (and warns when they are older than their sources), and snapshots them for a run.
 */
public final class ServerBuild {

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
          "ops/pom.xml");

  private ServerBuild() {}

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
          "[chaos] warning: the server jar may be stale ("
              + why
              + "); rebuild with 'mvn -B -DskipTests package -pl store-server,ops -am'");
      return;
    }
    System.out.println("[chaos] building the server (" + why + ")...");
    Process p =
        new ProcessBuilder(
                "mvn",
                "-q",
                "-B",
                "-DskipTests",
                "-Dspotless.check.skip=true",
                "package",
                "-pl",
                "store-server,ops",
                "-am")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("building the server took more than 15 minutes");
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          "building the server failed; run 'mvn -B -DskipTests package -pl store-server,ops -am'"
              + " to see why");
    }
  }

  /**
   * Copies what {@code ops/bin/aimstore-cluster} runs into {@code into} (laid out like the
   * repository: the script, the server jar and its libraries, the aimctl jar it checks for), so
   * that a run's members all run one binary even if the tree is rebuilt meanwhile. Libraries are
   * hard links where possible. Returns the copy's root, to run the script from.
   */
  public static Path snapshot(Path root, Path into) throws IOException {
    copy(root.resolve("ops/bin/aimstore-cluster"), into.resolve("ops/bin/aimstore-cluster"));
    into.resolve("ops/bin/aimstore-cluster").toFile().setExecutable(true);
    copy(
        root.resolve("store-server/target/aimstore-server.jar"),
        into.resolve("store-server/target/aimstore-server.jar"));
    copy(root.resolve("ops/target/aimstore-ops.jar"), into.resolve("ops/target/aimstore-ops.jar"));
    Path lib = into.resolve("store-server/target/lib");
    Files.createDirectories(lib);
    try (Stream<Path> jars = Files.list(root.resolve("store-server/target/lib"))) {
      for (Path jar : jars.toList()) {
        Path target = lib.resolve(jar.getFileName());
        try {
          Files.createLink(target, jar);
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(jar, target);
        }
      }
    }
    return into;
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Why the jars must be built, or null if they are up to date. */
  static String staleness(Path root) throws IOException {
    Path jar = root.resolve("store-server/target/aimstore-server.jar");
    for (Path needed :
        List.of(
            jar,
            root.resolve("store-server/target/lib"),
            root.resolve("ops/target/aimstore-ops.jar"),
            root.resolve("ops/target/lib"))) {
      if (!Files.exists(needed)) {
        return needed + " is missing";
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
