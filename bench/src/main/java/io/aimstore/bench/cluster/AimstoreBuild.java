package io.aimstore.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * A private copy of aimstore's launch scripts and jars ({@code ops/bin/aimstore-cluster}, {@code
 * ops/bin/aimctl}, the server's and aimctl's jars and their libraries), taken when a run starts, in
 * the same layout so the scripts work unchanged from it. Members started (and restarted) during the
 * run load their classes from the copy: a JVM loads classes lazily, and a rebuild of {@code
 * store-server/target} in the middle of a run — another build on the same checkout — would
 * otherwise crash the running members with {@code NoClassDefFoundError} and change what is being
 * measured.
 */
public final class AimstoreBuild {
  private static final List<String> SCRIPTS = List.of("ops/bin/aimstore-cluster", "ops/bin/aimctl");
  private static final List<String> JARS =
      List.of("store-server/target/aimstore-server.jar", "ops/target/aimstore-ops.jar");
  private static final List<String> LIBS = List.of("store-server/target/lib", "ops/target/lib");

  private AimstoreBuild() {}

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
      Path from = repo.resolve(l);
      Path to = dest.resolve(l);
      Files.createDirectories(to);
      try (Stream<Path> files = Files.list(from)) {
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
}
