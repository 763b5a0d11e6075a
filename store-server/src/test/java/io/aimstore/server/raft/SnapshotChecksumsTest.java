package io.aimstore.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file of a Raft snapshot is checked against the sums recorded when it was taken. */
class SnapshotChecksumsTest {
  @TempDir Path dir;

  private Path snapshot(String name) throws Exception {
    Path snap = Files.createDirectories(dir.resolve("sm").resolve(name));
    Files.writeString(snap.resolve("000012.sst"), "table ".repeat(100));
    Files.writeString(snap.resolve("MANIFEST-000005"), "manifest");
    SnapshotDirectory.writeAppliedIndex(snap, 37);
    return snap;
  }

  @Test
  void anIntactSnapshotPassesAndItsManifestIsSha256sumFormat() throws Exception {
    Path snap = snapshot("snapshot.3_40");
    SnapshotChecksums.write(snap, null);
    SnapshotChecksums.verify(snap);
    assertThat(Files.readAllLines(snap.resolve(SnapshotChecksums.FILE)))
        .hasSize(3)
        .contains(SnapshotChecksums.sha256(snap.resolve("000012.sst")) + "  000012.sst");
  }

  @Test
  void aFlippedByteAMissingOrAnUnlistedFileIsNamedInOneLine() throws Exception {
    Path snap = snapshot("snapshot.3_40");
    SnapshotChecksums.write(snap, null);
    Path sst = snap.resolve("000012.sst");
    byte[] b = Files.readAllBytes(sst);
    b[7] ^= 0x04;
    Files.write(sst, b);
    assertThatThrownBy(() -> SnapshotChecksums.verify(snap))
        .isInstanceOf(SnapshotDamagedException.class)
        .hasMessageStartingWith("snapshot file " + sst + " is damaged: its SHA-256 does not match")
        .hasMessageNotContaining("\n");

    Path other = snapshot("snapshot.4_50");
    SnapshotChecksums.write(other, null);
    Files.delete(other.resolve("MANIFEST-000005"));
    assertThatThrownBy(() -> SnapshotChecksums.verify(other))
        .hasMessageContaining("MANIFEST-000005 is damaged: it is missing");

    Path third = snapshot("snapshot.5_60");
    SnapshotChecksums.write(third, null);
    Files.writeString(third.resolve("000013.sst"), "planted");
    assertThatThrownBy(() -> SnapshotChecksums.verify(third))
        .hasMessageContaining("000013.sst is damaged: it is not listed");
  }

  @Test
  void aSnapshotWithoutAManifestIsAcceptedAsTakenBeforeChecksums() throws Exception {
    SnapshotChecksums.verify(snapshot("snapshot.3_40"));
  }

  @Test
  void filesSharedWithThePreviousSnapshotReuseItsSumsOnlyWhenTheyAreTheSameFile() throws Exception {
    Path first = snapshot("snapshot.3_40");
    SnapshotChecksums.write(first, null);
    Path second = Files.createDirectories(dir.resolve("sm/snapshot.3_80"));
    Files.createLink(second.resolve("000012.sst"), first.resolve("000012.sst"));
    // same name, other contents: not a link, so it must be read again
    Files.writeString(second.resolve("MANIFEST-000005"), "another manifest");
    SnapshotChecksums.write(second, first);
    SnapshotChecksums.verify(second);
    assertThat(Files.readString(second.resolve(SnapshotChecksums.FILE)))
        .contains(SnapshotChecksums.sha256(second.resolve("MANIFEST-000005")));
  }
}
