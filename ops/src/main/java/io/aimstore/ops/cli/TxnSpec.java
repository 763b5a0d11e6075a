package io.aimstore.ops.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.Compare;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.ops.Aimctl.UsageError;
import io.aimstore.ops.output.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a transaction written as text (etcdctl's format: compares, a blank line, success
 * operations, a blank line, failure operations) or as JSON:
 *
 * <pre>
 *   value("/aim/f1/cfg") = "v1"          {"compare": [{"key": "/aim/f1/cfg", "target": "value",
 *   mod("/aim/f1/lock") &gt; "0"                        "result": "=", "value": "v1"}],
 *                                         "success": [{"put": {"key": "/aim/f1/cfg", "value": "v2"}}],
 *   put /aim/f1/cfg v2                    "failure": [{"get": {"key": "/aim/f1/cfg"}}]}
 *
 *   get /aim/f1/cfg
 * </pre>
 *
 * Operations: {@code put KEY VALUE [--lease ID]}, {@code get KEY [--prefix]}, {@code del KEY
 * [--prefix]}. Quote keys and values that hold spaces.
 */
public final class TxnSpec {
  private static final Pattern COMPARE =
      Pattern.compile(
          "^(value|version|create|mod|lease)\\(\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*\\)\\s*(=|!=|>|<)\\s*(.*)$");

  private TxnSpec() {}

  public static TxnRequest parse(String spec) {
    String s = spec.strip();
    return s.startsWith("{") ? parseJson(s) : parseText(spec);
  }

  static TxnRequest parseText(String spec) {
    List<List<String>> sections = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : spec.split("\\R", -1)) {
      String l = line.strip();
      if (l.startsWith("#")) {
        continue;
      }
      if (l.isEmpty()) {
        if (!current.isEmpty() || sections.size() < 3) {
          sections.add(current);
          current = new ArrayList<>();
        }
        continue;
      }
      current.add(l);
    }
    if (!current.isEmpty()) {
      sections.add(current);
    }
    while (!sections.isEmpty() && sections.get(sections.size() - 1).isEmpty()) {
      sections.remove(sections.size() - 1);
    }
    if (sections.size() > 3) {
      throw new UsageError(
          "a txn has at most three sections (compares, success, failure) separated by blank lines");
    }
    TxnRequest.Builder t = TxnRequest.newBuilder();
    if (sections.size() > 0) {
      for (String l : sections.get(0)) {
        t.addCompare(compare(l));
      }
    }
    if (sections.size() > 1) {
      for (String l : sections.get(1)) {
        t.addSuccess(op(tokens(l)));
      }
    }
    if (sections.size() > 2) {
      for (String l : sections.get(2)) {
        t.addFailure(op(tokens(l)));
      }
    }
    return t.build();
  }

  private static Compare compare(String line) {
    Matcher m = COMPARE.matcher(line);
    if (!m.matches()) {
      throw new UsageError(
          "cannot read compare '"
              + line
              + "'; expected e.g. value(\"key\") = \"v\" or mod(\"key\") > \"0\"");
    }
    return compare(m.group(1), unescape(m.group(2)), m.group(3), unquote(m.group(4).strip()));
  }

  private static Compare compare(String target, String key, String op, String value) {
    Compare.Builder c = Compare.newBuilder().setKey(Text.parse(key));
    c.setResult(
        switch (op) {
          case "=", "==" -> Compare.CompareResult.EQUAL;
          case "!=" -> Compare.CompareResult.NOT_EQUAL;
          case ">" -> Compare.CompareResult.GREATER;
          case "<" -> Compare.CompareResult.LESS;
          default -> throw new UsageError("unknown compare operator '" + op + "'; use = != > <");
        });
    try {
      switch (target.toLowerCase(Locale.ROOT)) {
        case "value" -> c.setTarget(Compare.CompareTarget.VALUE).setValue(Text.parse(value));
        case "version" ->
            c.setTarget(Compare.CompareTarget.VERSION).setVersion(Long.parseLong(value));
        case "create" ->
            c.setTarget(Compare.CompareTarget.CREATE).setCreateRevision(Long.parseLong(value));
        case "mod" -> c.setTarget(Compare.CompareTarget.MOD).setModRevision(Long.parseLong(value));
        case "lease" -> c.setTarget(Compare.CompareTarget.LEASE).setLease(Long.parseLong(value));
        default ->
            throw new UsageError(
                "unknown compare target '"
                    + target
                    + "'; use value, version, create, mod or lease");
      }
    } catch (NumberFormatException e) {
      throw new UsageError("compare on " + target + " needs a number, got '" + value + "'");
    }
    return c.build();
  }

  private static RequestOp op(List<String> t) {
    if (t.isEmpty()) {
      throw new UsageError("empty txn operation");
    }
    String verb = t.get(0);
    boolean prefix = t.contains("--prefix");
    switch (verb) {
      case "put" -> {
        if (t.size() < 3) {
          throw new UsageError("put needs KEY VALUE");
        }
        PutRequest.Builder p =
            PutRequest.newBuilder().setKey(Text.parse(t.get(1))).setValue(Text.parse(t.get(2)));
        int lease = t.indexOf("--lease");
        if (lease > 0 && lease + 1 < t.size()) {
          p.setLease(Long.parseLong(t.get(lease + 1)));
        }
        return RequestOp.newBuilder().setRequestPut(p).build();
      }
      case "get" -> {
        return RequestOp.newBuilder().setRequestRange(range(need(t, "get"), prefix)).build();
      }
      case "del", "delete" -> {
        ByteString k = Text.parse(need(t, "del"));
        DeleteRangeRequest.Builder d = DeleteRangeRequest.newBuilder().setKey(k);
        if (prefix) {
          d.setRangeEnd(KeyRanges.prefixEnd(k));
        }
        return RequestOp.newBuilder().setRequestDeleteRange(d).build();
      }
      default -> throw new UsageError("unknown txn operation '" + verb + "'; use put, get or del");
    }
  }

  private static RangeRequest range(String key, boolean prefix) {
    ByteString k = Text.parse(key);
    RangeRequest.Builder r = RangeRequest.newBuilder().setKey(k);
    if (prefix) {
      r.setRangeEnd(KeyRanges.prefixEnd(k));
    }
    return r.build();
  }

  private static String need(List<String> t, String verb) {
    if (t.size() < 2) {
      throw new UsageError(verb + " needs a KEY");
    }
    return t.get(1);
  }

  static TxnRequest parseJson(String s) {
    JsonObject o;
    try {
      o = JsonParser.parseString(s).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new UsageError("txn JSON does not parse: " + e.getMessage());
    }
    TxnRequest.Builder t = TxnRequest.newBuilder();
    for (JsonElement e : array(o, "compare")) {
      JsonObject c = e.getAsJsonObject();
      t.addCompare(
          compare(
              str(c, "target", "value"),
              str(c, "key", null),
              str(c, "result", "="),
              str(c, "value", "")));
    }
    for (JsonElement e : array(o, "success")) {
      t.addSuccess(jsonOp(e.getAsJsonObject()));
    }
    for (JsonElement e : array(o, "failure")) {
      t.addFailure(jsonOp(e.getAsJsonObject()));
    }
    return t.build();
  }

  private static RequestOp jsonOp(JsonObject o) {
    if (o.size() != 1) {
      throw new UsageError(
          "each txn operation is one of {\"put\": ...}, {\"get\": ...}, {\"del\": ...}");
    }
    String verb = o.keySet().iterator().next();
    JsonObject a = o.getAsJsonObject(verb);
    List<String> tokens = new ArrayList<>(List.of(verb, str(a, "key", null)));
    if (verb.equals("put")) {
      tokens.add(str(a, "value", ""));
      if (a.has("lease")) {
        tokens.add("--lease");
        tokens.add(a.get("lease").getAsString());
      }
    }
    if (a.has("prefix") && a.get("prefix").getAsBoolean()) {
      tokens.add("--prefix");
    }
    return op(tokens);
  }

  private static JsonArray array(JsonObject o, String field) {
    return o.has(field) ? o.getAsJsonArray(field) : new JsonArray();
  }

  private static String str(JsonObject o, String field, String dflt) {
    if (!o.has(field)) {
      if (dflt == null) {
        throw new UsageError("txn JSON: missing \"" + field + "\"");
      }
      return dflt;
    }
    return o.get(field).getAsString();
  }

  /** Splits a line on spaces, keeping "quoted strings" (with \" escapes) together. */
  static List<String> tokens(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '\\' && i + 1 < line.length()) {
          cur.append(line.charAt(++i));
        } else if (ch == '"') {
          quoted = false;
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
        any = true;
      } else if (Character.isWhitespace(ch)) {
        if (any || cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
          any = false;
        }
      } else {
        cur.append(ch);
      }
    }
    if (quoted) {
      throw new UsageError("unterminated quote in '" + line + "'");
    }
    if (any || cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      return unescape(s.substring(1, s.length() - 1));
    }
    return s;
  }

  private static String unescape(String s) {
    return s.replace("\\\"", "\"").replace("\\\\", "\\");
  }
}
