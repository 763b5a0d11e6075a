package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.Binding;
import io.aimstore.api.v1.Role;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The stored roles and bindings, as keys in the replicated keyspace (JSON values, so they can be
 * read and watched with plain KV tools): {@code /_aimstore/auth/roles/<name>} and {@code
 * /_aimstore/auth/bindings/<name>}.
 */
final class AuthTable {
  static final String PREFIX = Limits.RESERVED_PREFIX + "auth/";
  private static final String ROLES = PREFIX + "roles/";
  private static final String BINDINGS = PREFIX + "bindings/";
  private static final String BLOCKED = PREFIX + "blocked/";
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSE = JsonFormat.parser().ignoringUnknownFields();

  private AuthTable() {}

  static ByteString roleKey(String name) {
    return ByteString.copyFromUtf8(ROLES + name);
  }

  static ByteString bindingKey(String name) {
    return ByteString.copyFromUtf8(BINDINGS + name);
  }

  static ByteString blockedKey(String identity) {
    return ByteString.copyFromUtf8(BLOCKED + identity);
  }

  /** Whether a write to {@code key} changes the policy. */
  static boolean isAuthKey(ByteString key) {
    return key.startsWith(ByteString.copyFromUtf8(PREFIX));
  }

  /** The policy of the built-ins plus what is stored as of {@code revision}. */
  static AccessPolicy load(KeyspaceReader reader, long revision) {
    List<Role> roles = new ArrayList<>();
    for (ByteString v : values(reader, revision, ROLES)) {
      roles.add(parse(v, Role.newBuilder()).build());
    }
    List<Binding> bindings = new ArrayList<>();
    for (ByteString v : values(reader, revision, BINDINGS)) {
      bindings.add(parse(v, Binding.newBuilder()).build());
    }
    Set<String> blocked = new LinkedHashSet<>();
    ByteString p = ByteString.copyFromUtf8(BLOCKED);
    reader.scan(
        p,
        KeyRanges.prefixEnd(p),
        revision,
        kv -> blocked.add(kv.getKey().substring(p.size()).toStringUtf8()));
    return new AccessPolicy(roles, bindings, blocked);
  }

  private static List<ByteString> values(KeyspaceReader reader, long revision, String prefix) {
    ByteString p = ByteString.copyFromUtf8(prefix);
    List<ByteString> out = new ArrayList<>();
    reader.scan(p, KeyRanges.prefixEnd(p), revision, kv -> out.add(kv.getValue()));
    return out;
  }

  static ByteString json(Message m) {
    try {
      return ByteString.copyFromUtf8(JSON.print(m));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <B extends Message.Builder> B parse(ByteString json, B builder) {
    try {
      PARSE.merge(json.toStringUtf8(), builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt auth record", e);
    }
  }
}
