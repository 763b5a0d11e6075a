package io.aimstore.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restoring a snapshot swaps whole directories, so a crash never leaves a half-copied store. */
class SnapshotDirectoryTest {
  @TempDir Path dir;

  @Test
  void restoreReplacesTheTargetAndLeavesNothingBehind() throws Exception {
    Path snap = Files.createDirectories(dir.resolve("sm/snapshot.3_40"));
    Files.writeString(snap.resolve("000012.sst"), "table");
    Files.writeString(snap.resolve("MANIFEST-000005"), "manifest");
    Files.writeString(snap.resolve("000012.sst.md5"), "digest");
    SnapshotDirectory.writeAppliedIndex(snap, 37);
    Path kv = Files.createDirectories(dir.resolve("kv"));
    Files.writeString(kv.resolve("OLD"), "old store");

    SnapshotDirectory.restore(snap, kv);

    assertThat(kv.resolve("OLD")).doesNotExist();
    assertThat(Files.readString(kv.resolve("000012.sst"))).isEqualTo("table");
    assertThat(Files.readString(kv.resolve("MANIFEST-000005"))).isEqualTo("manifest");
    assertThat(kv.resolve("000012.sst.md5")).doesNotExist();
    assertThat(kv.resolve(SnapshotDirectory.APPLIED_FILE)).doesNotExist();
    assertThat(dir.resolve("kv.restoring")).doesNotExist();
    assertThat(dir.resolve("kv.replaced")).doesNotExist();
    assertThat(SnapshotDirectory.appliedIndexOf(snap)).isEqualTo(37);
    assertThat(SnapshotDirectory.appliedIndexOf(dir)).isEqualTo(-1);
  }

  @Test
  void leftoversOfAnInterruptedRestoreAreCleanedUp() throws Exception {
    Path kv = dir.resolve("kv");
    Files.createDirectories(dir.resolve("kv.restoring")).resolve("x");
    Files.writeString(Files.createDirectories(dir.resolve("kv.replaced")).resolve("y"), "y");
    SnapshotDirectory.cleanUpRestore(kv);
    assertThat(dir.resolve("kv.restoring")).doesNotExist();
    assertThat(dir.resolve("kv.replaced")).doesNotExist();
  }
}
