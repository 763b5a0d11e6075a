package io.aimstore.server.api.etcd;

import io.aimstore.api.v1.ResponseHeader;
import io.aimstore.etcd.api.Compare;
import io.aimstore.etcd.api.DeleteRangeRequest;
import io.aimstore.etcd.api.DeleteRangeResponse;
import io.aimstore.etcd.api.PutRequest;
import io.aimstore.etcd.api.PutResponse;
import io.aimstore.etcd.api.RangeRequest;
import io.aimstore.etcd.api.RangeResponse;
import io.aimstore.etcd.api.RequestOp;
import io.aimstore.etcd.api.ResponseOp;
import io.aimstore.etcd.api.TxnRequest;
import io.aimstore.etcd.api.TxnResponse;
import io.aimstore.etcd.api.mvcc.Event;
import io.aimstore.etcd.api.mvcc.KeyValue;
import io.aimstore.server.core.StoreException;
import java.util.List;

/**
 * Translates etcd's KV messages to aimstore's and back. The two share their data model (field for
 * field, enum value for enum value); what aimstore has beyond etcd (fences, member names, fencing
 * tokens on keys) is left out.
 */
final class EtcdMessages {
  private EtcdMessages() {}

  static io.aimstore.etcd.api.ResponseHeader header(ResponseHeader h) {
    return io.aimstore.etcd.api.ResponseHeader.newBuilder()
        .setClusterId(h.getClusterId())
        .setMemberId(h.getMemberId())
        .setRevision(h.getRevision())
        .setRaftTerm(h.getRaftTerm())
        .build();
  }

  static KeyValue kv(io.aimstore.api.v1.KeyValue kv) {
    return KeyValue.newBuilder()
        .setKey(kv.getKey())
        .setCreateRevision(kv.getCreateRevision())
        .setModRevision(kv.getModRevision())
        .setVersion(kv.getVersion())
        .setValue(kv.getValue())
        .setLease(kv.getLease())
        .build();
  }

  static List<KeyValue> kvs(List<io.aimstore.api.v1.KeyValue> kvs) {
    return kvs.stream().map(EtcdMessages::kv).toList();
  }

  static Event event(io.aimstore.api.v1.Event e) {
    Event.Builder b =
        Event.newBuilder()
            .setType(
                e.getType() == io.aimstore.api.v1.Event.EventType.DELETE
                    ? Event.EventType.DELETE
                    : Event.EventType.PUT)
            .setKv(kv(e.getKv()));
    if (e.hasPrevKv()) {
      b.setPrevKv(kv(e.getPrevKv()));
    }
    return b.build();
  }

  // ---- requests --------------------------------------------------------------------------------

  static io.aimstore.api.v1.RangeRequest range(RangeRequest r) {
    return io.aimstore.api.v1.RangeRequest.newBuilder()
        .setKey(r.getKey())
        .setRangeEnd(r.getRangeEnd())
        .setLimit(r.getLimit())
        // etcd: a revision <= 0 reads the current one
        .setRevision(Math.max(0, r.getRevision()))
        .setSortOrderValue(r.getSortOrderValue())
        .setSortTargetValue(r.getSortTargetValue())
        .setSerializable(r.getSerializable())
        .setKeysOnly(r.getKeysOnly())
        .setCountOnly(r.getCountOnly())
        .setMinModRevision(r.getMinModRevision())
        .setMaxModRevision(r.getMaxModRevision())
        .setMinCreateRevision(r.getMinCreateRevision())
        .setMaxCreateRevision(r.getMaxCreateRevision())
        .build();
  }

  static io.aimstore.api.v1.PutRequest put(PutRequest p) {
    return io.aimstore.api.v1.PutRequest.newBuilder()
        .setKey(p.getKey())
        .setValue(p.getValue())
        .setLease(p.getLease())
        .setPrevKv(p.getPrevKv())
        .setIgnoreValue(p.getIgnoreValue())
        .setIgnoreLease(p.getIgnoreLease())
        .build();
  }

  static io.aimstore.api.v1.DeleteRangeRequest deleteRange(DeleteRangeRequest d) {
    return io.aimstore.api.v1.DeleteRangeRequest.newBuilder()
        .setKey(d.getKey())
        .setRangeEnd(d.getRangeEnd())
        .setPrevKv(d.getPrevKv())
        .build();
  }

  static io.aimstore.api.v1.TxnRequest txn(TxnRequest t) {
    io.aimstore.api.v1.TxnRequest.Builder b = io.aimstore.api.v1.TxnRequest.newBuilder();
    for (Compare c : t.getCompareList()) {
      b.addCompare(compare(c));
    }
    for (RequestOp op : t.getSuccessList()) {
      b.addSuccess(op(op));
    }
    for (RequestOp op : t.getFailureList()) {
      b.addFailure(op(op));
    }
    return b.build();
  }

  private static io.aimstore.api.v1.Compare compare(Compare c) {
    io.aimstore.api.v1.Compare.Builder b =
        io.aimstore.api.v1.Compare.newBuilder()
            .setResultValue(c.getResultValue())
            .setTargetValue(c.getTargetValue())
            .setKey(c.getKey())
            .setRangeEnd(c.getRangeEnd());
    switch (c.getTargetUnionCase()) {
      case VERSION -> b.setVersion(c.getVersion());
      case CREATE_REVISION -> b.setCreateRevision(c.getCreateRevision());
      case MOD_REVISION -> b.setModRevision(c.getModRevision());
      case VALUE -> b.setValue(c.getValue());
      case LEASE -> b.setLease(c.getLease());
      default -> {}
    }
    return b.build();
  }

  private static io.aimstore.api.v1.RequestOp op(RequestOp op) {
    io.aimstore.api.v1.RequestOp.Builder b = io.aimstore.api.v1.RequestOp.newBuilder();
    return switch (op.getRequestCase()) {
      case REQUEST_RANGE -> b.setRequestRange(range(op.getRequestRange())).build();
      case REQUEST_PUT -> b.setRequestPut(put(op.getRequestPut())).build();
      case REQUEST_DELETE_RANGE ->
          b.setRequestDeleteRange(deleteRange(op.getRequestDeleteRange())).build();
      case REQUEST_TXN ->
          throw StoreException.invalid(
              "nested transactions (RequestOp.request_txn) are not supported by aimstore; flatten"
                  + " the transaction");
      default -> b.build(); // an empty op: the validator names it
    };
  }

  // ---- responses -------------------------------------------------------------------------------

  static RangeResponse range(io.aimstore.api.v1.RangeResponse r) {
    return RangeResponse.newBuilder()
        .setHeader(header(r.getHeader()))
        .addAllKvs(kvs(r.getKvsList()))
        .setMore(r.getMore())
        .setCount(r.getCount())
        .build();
  }

  static PutResponse put(io.aimstore.api.v1.PutResponse r) {
    PutResponse.Builder b = PutResponse.newBuilder().setHeader(header(r.getHeader()));
    if (r.hasPrevKv()) {
      b.setPrevKv(kv(r.getPrevKv()));
    }
    return b.build();
  }

  static DeleteRangeResponse deleteRange(io.aimstore.api.v1.DeleteRangeResponse r) {
    return DeleteRangeResponse.newBuilder()
        .setHeader(header(r.getHeader()))
        .setDeleted(r.getDeleted())
        .addAllPrevKvs(kvs(r.getPrevKvsList()))
        .build();
  }

  static TxnResponse txn(io.aimstore.api.v1.TxnResponse r) {
    TxnResponse.Builder b =
        TxnResponse.newBuilder().setHeader(header(r.getHeader())).setSucceeded(r.getSucceeded());
    for (io.aimstore.api.v1.ResponseOp op : r.getResponsesList()) {
      ResponseOp.Builder o = ResponseOp.newBuilder();
      switch (op.getResponseCase()) {
        case RESPONSE_RANGE -> o.setResponseRange(range(op.getResponseRange()));
        case RESPONSE_PUT -> o.setResponsePut(put(op.getResponsePut()));
        case RESPONSE_DELETE_RANGE ->
            o.setResponseDeleteRange(deleteRange(op.getResponseDeleteRange()));
        default -> {}
      }
      b.addResponses(o);
    }
    return b.build();
  }
}
