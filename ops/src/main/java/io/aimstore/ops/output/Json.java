package io.aimstore.ops.output;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.ResponseHeader;
import java.util.Base64;

/** JSON shapes aimctl prints for scripts. Keys and values are text, or base64 when binary. */
public final class Json {
  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
  private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

  private Json() {}

  public static String pretty(Object o) {
    return GSON.toJson(o);
  }

  /** One line, for streams of events. */
  public static String line(Object o) {
    return COMPACT.toJson(o);
  }

  public static void putBytes(JsonObject o, String field, ByteString b) {
    if (Text.isPrintable(b)) {
      o.addProperty(field, b.toStringUtf8());
    } else {
      o.addProperty(field + "_base64", Base64.getEncoder().encodeToString(b.toByteArray()));
    }
  }

  public static JsonObject keyValue(KeyValue kv) {
    JsonObject o = new JsonObject();
    putBytes(o, "key", kv.getKey());
    putBytes(o, "value", kv.getValue());
    o.addProperty("create_revision", kv.getCreateRevision());
    o.addProperty("mod_revision", kv.getModRevision());
    o.addProperty("version", kv.getVersion());
    o.addProperty("lease", kv.getLease());
    if (kv.getFenceToken() != 0) {
      o.addProperty("fence_token", kv.getFenceToken());
    }
    return o;
  }

  public static JsonArray keyValues(Iterable<KeyValue> kvs) {
    JsonArray a = new JsonArray();
    kvs.forEach(kv -> a.add(keyValue(kv)));
    return a;
  }

  public static JsonObject header(ResponseHeader h) {
    JsonObject o = new JsonObject();
    o.addProperty("cluster_id", Long.toUnsignedString(h.getClusterId()));
    o.addProperty("member", h.getMemberName());
    o.addProperty("revision", h.getRevision());
    o.addProperty("raft_term", h.getRaftTerm());
    return o;
  }
}
