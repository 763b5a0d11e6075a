package io.aimstore.server.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.server.storage.Cursor;
import io.aimstore.server.storage.Reader;
import io.aimstore.server.storage.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log: one record per admin action, written by apply in the action's own batch with the
 * leader's time and the caller's verified identity, into a table of its own (so compaction never
 * removes one and no client can write one). Records are numbered in the order they were applied.
 */
final class AuditLog {
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final ApplyContext ctx;

  AuditLog(ApplyContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Fills in time, identity and revision of {@code r} and writes it. The revision is the store's
   * revision with the action applied: call this after the command's key writes, if it has any, and
   * after every check of the command has passed.
   */
  AuditRecord write(AuditRecord.Builder r) {
    AuditRecord audit =
        r.setRevision(ctx.responseRevision())
            .setAtMs(ctx.now())
            .setOperator(ctx.access().identity())
            .build();
    long id = ctx.meta().nextAuditId();
    ctx.batch.put(Table.AUDIT, Keys.ofLong(id), audit.toByteArray());
    ctx.meta(ctx.meta().withNextAuditId(id + 1));
    return audit;
  }

  /** The records at or after {@code sinceMs} (0: all), oldest first, at most {@code max}. */
  static List<AuditRecord> read(Reader reader, long sinceMs, int max) {
    List<AuditRecord> out = new ArrayList<>();
    try (Cursor c = reader.cursor(Table.AUDIT)) {
      for (c.seekToFirst(); c.isValid() && out.size() < max; c.next()) {
        AuditRecord r = AuditRecord.parseFrom(c.value());
        if (r.getAtMs() >= sinceMs) {
          out.add(r);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt audit record", e);
    }
    return out;
  }

  /** A record as JSON, for people (the quarantine marker's value). */
  static ByteString json(AuditRecord r) {
    try {
      return ByteString.copyFromUtf8(JSON.print(r));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
