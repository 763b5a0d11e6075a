package io.aimstore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimstore.api.v1.SnapshotMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {
  @TempDir Path dir;

  private static final SnapshotMetadata META =
      SnapshotMetadata.newBuilder()
          .setFormatVersion(SnapshotFile.FORMAT_VERSION)
          .setClusterName("test")
          .setRevision(42)
          .build();

  private Path snapshot() throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("000001.sst"), "table contents ".repeat(1000));
    Files.writeString(src.resolve("CURRENT"), "MANIFEST-000002\n");
    List<SnapshotFile.Entry> entries =
        List.of(
            SnapshotFile.Entry.of(src.resolve("000001.sst")),
            SnapshotFile.Entry.of(src.resolve("CURRENT")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String sum = SnapshotFile.write(out, META, entries);
    assertThat(out.size()).isEqualTo(SnapshotFile.size(META, entries));
    Path file = dir.resolve("backup.snap");
    Files.write(file, out.toByteArray());
    assertThat(SnapshotFile.verify(file).sha256()).isEqualTo(sum);
    return file;
  }

  @Test
  void extractGivesBackTheFilesAndTheMetadata() throws IOException {
    Path file = snapshot();
    SnapshotFile.Contents c = SnapshotFile.extract(file, dir.resolve("out"));
    assertThat(c.metadata()).isEqualTo(META);
    assertThat(c.fileNames()).containsExactly("000001.sst", "CURRENT");
    assertThat(Files.readString(dir.resolve("out/CURRENT"))).isEqualTo("MANIFEST-000002\n");
    assertThat(Files.mismatch(dir.resolve("out/000001.sst"), dir.resolve("src/000001.sst")))
        .isEqualTo(-1);
  }

  @Test
  void aFlippedByteAnywhereIsRefusedInOneLineNamingTheFile() throws IOException {
    Path file = snapshot();
    byte[] good = Files.readAllBytes(file);
    // the magic, the metadata, a file name, a file's contents, the end marker, the checksum
    for (int at : new int[] {3, 20, 40, good.length / 2, good.length - 34, good.length - 1}) {
      byte[] bad = good.clone();
      bad[at] ^= 0x10;
      Path damaged = dir.resolve("damaged-" + at + ".snap");
      Files.write(damaged, bad);
      assertThatThrownBy(() -> SnapshotFile.verify(damaged))
          .isInstanceOf(SnapshotFile.DamagedException.class)
          .hasMessageStartingWith("snapshot " + damaged + " is damaged: ")
          .hasMessageNotContaining("\n");
      assertThatThrownBy(() -> SnapshotFile.extract(damaged, dir.resolve("x-" + at)))
          .isInstanceOf(SnapshotFile.DamagedException.class);
      assertThat(dir.resolve("x-" + at)).doesNotExist();
    }
  }

  @Test
  void aTruncatedFileOrAnotherFileIsRefused() throws IOException {
    Path file = snapshot();
    byte[] good = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.snap");
    Files.write(cut, java.util.Arrays.copyOf(good, good.length - 100));
    assertThatThrownBy(() -> SnapshotFile.verify(cut))
        .isInstanceOf(SnapshotFile.DamagedException.class);
    Path text = dir.resolve("notes.txt");
    Files.write(text, "hello".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> SnapshotFile.verify(text))
        .isInstanceOf(SnapshotFile.DamagedException.class)
        .hasMessageContaining("too short");
  }
}
