package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.RangeRequest;

/** Builds range requests for validation and internal reads. */
public final class RangeRequests {
  private RangeRequests() {}

  public static RangeRequest of(ByteString key, ByteString rangeEnd) {
    return RangeRequest.newBuilder().setKey(key).setRangeEnd(rangeEnd).build();
  }
}
