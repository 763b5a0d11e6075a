package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.MemberRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The members added at run time, as keys in the replicated keyspace (JSON values, readable and
 * watchable with plain KV tools): {@code /_aimstore/members/<name>}. The Raft configuration (kept
 * by Ratis) says who votes and who listens; these records say how to reach a member's client API,
 * which Ratis does not know. Members of the first configuration are in every member's own config
 * and need no record.
 */
final class MemberTable {
  static final String PREFIX = Limits.RESERVED_PREFIX + "members/";
  private static final JsonFormat.Parser PARSE = JsonFormat.parser().ignoringUnknownFields();

  private MemberTable() {}

  static ByteString key(String name) {
    return ByteString.copyFromUtf8(PREFIX + name);
  }

  /** Every record as of {@code revision}, by name in key order. */
  static Map<String, MemberRecord> load(KeyspaceReader reader, long revision) {
    ByteString p = ByteString.copyFromUtf8(PREFIX);
    Map<String, MemberRecord> out = new LinkedHashMap<>();
    reader.scan(
        p,
        KeyRanges.prefixEnd(p),
        revision,
        kv -> {
          MemberRecord r = parse(kv.getValue());
          out.put(r.getName(), r);
          return true;
        });
    return out;
  }

  static MemberRecord parse(ByteString json) {
    try {
      MemberRecord.Builder b = MemberRecord.newBuilder();
      PARSE.merge(json.toStringUtf8(), b);
      return b.build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt member record", e);
    }
  }
}
