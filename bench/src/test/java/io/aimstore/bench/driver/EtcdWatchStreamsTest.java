package io.aimstore.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class EtcdWatchStreamsTest {

  @Test
  void prefixEndIncrementsTheLastByteThatCan() {
    assertThat(EtcdWatchStreams.prefixEnd(ByteString.copyFromUtf8("/bench/u")))
        .isEqualTo(ByteString.copyFromUtf8("/bench/v"));
    assertThat(EtcdWatchStreams.prefixEnd(ByteString.copyFrom(new byte[] {'a', (byte) 0xff})))
        .isEqualTo(ByteString.copyFromUtf8("b"));
    assertThat(EtcdWatchStreams.prefixEnd(ByteString.copyFrom(new byte[] {(byte) 0xff})))
        .isEqualTo(ByteString.copyFrom(new byte[] {0}));
  }
}
