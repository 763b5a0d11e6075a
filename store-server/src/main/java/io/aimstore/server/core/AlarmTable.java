package io.aimstore.server.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.aimstore.api.v1.Alarm;
import io.aimstore.server.storage.Batch;
import io.aimstore.server.storage.Cursor;
import io.aimstore.server.storage.Reader;
import io.aimstore.server.storage.Table;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The replicated alarm table, in {@link Table#ALARMS}: one record per (alarm type, member), key =
 * the type's number (4 bytes, big-endian) + the member's name (UTF-8). Outside the keyspace on
 * purpose: raising or clearing an alarm creates no revision and no watch event, and compaction
 * never touches it. Snapshots (RocksDB checkpoints) carry it like every table.
 */
final class AlarmTable {
  private AlarmTable() {}

  static byte[] key(Alarm a) {
    byte[] member = a.getMember().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + member.length).putInt(a.getAlarmValue()).put(member).array();
  }

  /** Every stored alarm. */
  static ActiveAlarms load(Reader reader) {
    List<Alarm> out = new ArrayList<>();
    try (Cursor c = reader.cursor(Table.ALARMS)) {
      for (c.seekToFirst(); c.isValid(); c.next()) {
        out.add(Alarm.parseFrom(c.value()));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt alarm record", e);
    }
    return new ActiveAlarms(out);
  }

  static void put(Batch batch, Alarm a) {
    batch.put(Table.ALARMS, key(a), a.toByteArray());
  }

  static void delete(Batch batch, Alarm a) {
    batch.delete(Table.ALARMS, key(a));
  }
}
