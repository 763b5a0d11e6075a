package io.aimstore.server.core;

import static io.aimstore.server.core.ApplyContext.LATEST;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.AuditRecord;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.MemberRecord;
import io.aimstore.internal.MemberChange;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Applies membership changes (admin only, each audited): the member records under {@code
 * /_aimstore/members/} and the audit record. The Raft configuration is Ratis' own and changes after
 * this entry is applied; this class only decides what the store keeps.
 */
final class MemberApplier {
  /** Member names: what a host name part and a certificate's subject can both hold. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]{1,253}:\\d{1,5}");

  private final ApplyContext ctx;
  private final AuditLog audit;

  MemberApplier(ApplyContext ctx, AuditLog audit) {
    this.ctx = ctx;
    this.audit = audit;
  }

  AuditRecord apply(MemberChange c) {
    if (c.getReason().isBlank()) {
      throw StoreException.invalid("a membership change needs a reason (audit log)");
    }
    AuditRecord.Builder a = AuditRecord.newBuilder().setReason(c.getReason());
    switch (c.getKindCase()) {
      case PUT -> {
        MemberRecord r = c.getPut();
        checkName(r.getName());
        checkAddress("raft", r.getRaftAddress(), true);
        checkAddress("client", r.getClientAddress(), true);
        checkAddress("metrics", r.getMetricsAddress(), false);
        Map<String, MemberRecord> others = MemberTable.load(ctx.reader, LATEST);
        others.remove(r.getName());
        for (MemberRecord o : others.values()) {
          for (String mine : new String[] {r.getRaftAddress(), r.getClientAddress()}) {
            if (mine.equals(o.getRaftAddress()) || mine.equals(o.getClientAddress())) {
              throw StoreException.failedPrecondition(
                  "address " + mine + " is already member " + o.getName() + "'s");
            }
          }
        }
        ByteString key = MemberTable.key(r.getName());
        ctx.writer.put(key, AuthTable.json(r), 0, 0, ctx.reader.get(key, LATEST));
        a.setAction("member-add")
            .setSubject(
                "member "
                    + r.getName()
                    + " raft="
                    + r.getRaftAddress()
                    + " client="
                    + r.getClientAddress());
      }
      case REMOVE -> {
        String name = c.getRemove();
        checkName(name);
        KeyValue kv = ctx.reader.get(MemberTable.key(name), LATEST);
        if (kv != null) {
          ctx.writer.delete(kv);
        }
        // A removed member's alarms go with it: nobody is left to clear them.
        for (io.aimstore.api.v1.Alarm alarm : ctx.alarms().list()) {
          if (alarm.getMember().equals(name)) {
            AlarmTable.delete(ctx.batch, alarm);
            ctx.alarms(ctx.alarms().without(alarm));
          }
        }
        a.setAction("member-remove").setSubject("member " + name);
      }
      case PROMOTE -> {
        checkName(c.getPromote());
        a.setAction("member-promote").setSubject("member " + c.getPromote());
      }
      case TRANSFER_LEADER -> {
        checkName(c.getTransferLeader());
        a.setAction("member-transfer-leader").setSubject("member " + c.getTransferLeader());
      }
      default -> throw StoreException.invalid("empty membership change");
    }
    return audit.write(a);
  }

  static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw StoreException.invalid(
          "member name must match [a-z0-9][a-z0-9-]{0,31}, got '" + name + "'");
    }
  }

  private static void checkAddress(String what, String address, boolean required) {
    if (address.isEmpty() && !required) {
      return;
    }
    if (!ADDRESS.matcher(address).matches()) {
      throw StoreException.invalid(what + " address must be HOST:PORT, got '" + address + "'");
    }
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    if (port < 1 || port > 65535) {
      throw StoreException.invalid(what + " port " + port + " is out of range 1-65535");
    }
  }
}
