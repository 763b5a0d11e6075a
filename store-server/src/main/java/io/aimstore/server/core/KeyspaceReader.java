package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.aimstore.api.KeyRanges;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.internal.KeyRecord;
import io.aimstore.server.storage.Cursor;
import io.aimstore.server.storage.Reader;
import io.aimstore.server.storage.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads the MVCC keyspace as of a revision through a {@link Reader}: a snapshot for client reads,
 * the open batch inside apply (which then sees the entry's own earlier writes).
 */
final class KeyspaceReader {
  private static final byte[] AFTER_ALL_REVISIONS = {
    (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
    (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF
  };

  private final Reader reader;

  KeyspaceReader(Reader reader) {
    this.reader = reader;
  }

  /** The key as of {@code revision}, or null if absent or deleted then. */
  KeyValue get(ByteString key, long revision) {
    try (Cursor c = reader.cursor(Table.KV)) {
      return floor(c, Keys.escape(key.toByteArray()), key, revision, false);
    }
  }

  /** Like {@link #get} but also returns a tombstone (as a KeyValue with version 0). */
  KeyValue getIncludingTombstone(ByteString key, long revision) {
    try (Cursor c = reader.cursor(Table.KV)) {
      return floor(c, Keys.escape(key.toByteArray()), key, revision, true);
    }
  }

  /**
   * Visits the live keys of {@code [key, rangeEnd)} as of {@code revision}, in key order, until the
   * visitor returns false.
   */
  void scan(ByteString key, ByteString rangeEnd, long revision, Predicate<KeyValue> visitor) {
    if (rangeEnd.isEmpty()) {
      KeyValue kv = get(key, revision);
      if (kv != null) {
        visitor.test(kv);
      }
      return;
    }
    byte[] end =
        rangeEnd.equals(KeyRanges.ALL_FROM_KEY) ? null : Keys.escape(rangeEnd.toByteArray());
    try (Cursor walk = reader.cursor(Table.KV);
        Cursor probe = reader.cursor(Table.KV)) {
      walk.seek(Keys.escape(key.toByteArray()));
      while (walk.isValid()) {
        byte[] versionKey = walk.key();
        if (end != null && java.util.Arrays.compareUnsigned(versionKey, end) >= 0) {
          return;
        }
        byte[] escaped = Keys.escapedPart(versionKey);
        KeyValue kv = floor(probe, escaped, null, revision, false);
        if (kv != null && !visitor.test(kv)) {
          return;
        }
        walk.seek(Keys.concat(escaped, AFTER_ALL_REVISIONS));
      }
    }
  }

  /**
   * Serves a range request at {@code revision} (already checked against compaction). {@code count}
   * is every key in the range; the min/max revision filters and {@code limit} only shape {@code
   * kvs}, and {@code more} says that more keys passed the filters than {@code limit} allowed.
   */
  RangeResponse.Builder range(RangeRequest req, long revision) {
    RangeResponse.Builder out = RangeResponse.newBuilder();
    boolean naturalOrder =
        req.getSortTarget() == RangeRequest.SortTarget.KEY
            && req.getSortOrder() != RangeRequest.SortOrder.DESCEND;
    long limit = req.getLimit();
    // keys_only drops values, but only after a sort by value has used them (as etcd does)
    boolean sortsByValue = req.getSortTarget() == RangeRequest.SortTarget.VALUE;
    boolean stripEarly = req.getKeysOnly() && !sortsByValue;
    Predicate<KeyValue> passes = revisionFilter(req);
    List<KeyValue> kvs = new ArrayList<>();
    long[] count = {0};
    long[] matched = {0};
    scan(
        req.getKey(),
        req.getRangeEnd(),
        revision,
        kv -> {
          count[0]++;
          if (req.getCountOnly() || !passes.test(kv)) {
            return true;
          }
          matched[0]++;
          if (!naturalOrder || limit <= 0 || kvs.size() < limit) {
            kvs.add(stripEarly ? kv.toBuilder().clearValue().build() : kv);
          }
          return true;
        });
    if (!naturalOrder) {
      kvs.sort(comparator(req));
    }
    out.setCount(count[0]);
    List<KeyValue> page = limit > 0 && kvs.size() > limit ? kvs.subList(0, (int) limit) : kvs;
    for (KeyValue kv : page) {
      out.addKvs(req.getKeysOnly() && !stripEarly ? kv.toBuilder().clearValue().build() : kv);
    }
    out.setMore(out.getKvsCount() < matched[0]);
    return out;
  }

  /** The request's min/max mod and create revision bounds (0 = unbounded) as one test. */
  private static Predicate<KeyValue> revisionFilter(RangeRequest req) {
    long minMod = req.getMinModRevision();
    long maxMod = req.getMaxModRevision();
    long minCreate = req.getMinCreateRevision();
    long maxCreate = req.getMaxCreateRevision();
    if (minMod == 0 && maxMod == 0 && minCreate == 0 && maxCreate == 0) {
      return kv -> true;
    }
    return kv ->
        (minMod == 0 || kv.getModRevision() >= minMod)
            && (maxMod == 0 || kv.getModRevision() <= maxMod)
            && (minCreate == 0 || kv.getCreateRevision() >= minCreate)
            && (maxCreate == 0 || kv.getCreateRevision() <= maxCreate);
  }

  private static Comparator<KeyValue> comparator(RangeRequest req) {
    Comparator<KeyValue> c =
        switch (req.getSortTarget()) {
          case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
          case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
          case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
          case VALUE ->
              Comparator.comparing(
                  KeyValue::getValue, ByteString.unsignedLexicographicalComparator());
          default ->
              Comparator.comparing(
                  KeyValue::getKey, ByteString.unsignedLexicographicalComparator());
        };
    Comparator<KeyValue> byKey =
        Comparator.comparing(KeyValue::getKey, ByteString.unsignedLexicographicalComparator());
    c = c.thenComparing(byKey);
    return req.getSortOrder() == RangeRequest.SortOrder.DESCEND ? c.reversed() : c;
  }

  /**
   * The version of {@code escaped} current at {@code revision}. {@code userKey} may be null (then
   * it is decoded).
   */
  private static KeyValue floor(
      Cursor c, byte[] escaped, ByteString userKey, long revision, boolean withTombstone) {
    c.seekForPrev(Keys.version(escaped, revision));
    if (!c.isValid()) {
      return null;
    }
    byte[] versionKey = c.key();
    if (versionKey.length != escaped.length + Keys.REVISION_BYTES
        || !Keys.startsWith(versionKey, escaped)) {
      return null;
    }
    KeyRecord record = parse(c.value());
    if (record.getTombstone() && !withTombstone) {
      return null;
    }
    ByteString key =
        userKey != null ? userKey : ByteString.copyFrom(Keys.unescape(escaped, escaped.length));
    return toKeyValue(key, Keys.revisionOf(versionKey), record);
  }

  static KeyValue toKeyValue(ByteString key, long modRevision, KeyRecord record) {
    if (record.getTombstone()) {
      return KeyValue.newBuilder().setKey(key).setModRevision(modRevision).build();
    }
    return KeyValue.newBuilder()
        .setKey(key)
        .setCreateRevision(record.getCreateRevision())
        .setModRevision(modRevision)
        .setVersion(record.getVersion())
        .setValue(record.getValue())
        .setLease(record.getLease())
        .setFenceToken(record.getFenceToken())
        .build();
  }

  static KeyRecord parse(byte[] bytes) {
    try {
      return KeyRecord.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt key record", e);
    }
  }
}
