package io.aimstore.server.api.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.ResponseHeader;
import io.aimstore.etcd.api.Compare;
import io.aimstore.etcd.api.RangeRequest;
import io.aimstore.etcd.api.RequestOp;
import io.aimstore.etcd.api.TxnRequest;
import io.aimstore.etcd.api.WatchCreateRequest;
import io.aimstore.etcd.api.WatchResponse;
import io.aimstore.etcd.api.mvcc.Event;
import io.aimstore.server.core.StoreException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** etcd's messages to aimstore's and back: field for field, and the few places they differ. */
class EtcdTranslationTest {
  private static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void rangeKeepsEveryOptionAndReadsTheCurrentRevisionForANegativeOne() {
    RangeRequest etcd =
        RangeRequest.newBuilder()
            .setKey(bs("a"))
            .setRangeEnd(bs("b"))
            .setLimit(3)
            .setRevision(-1)
            .setSortOrder(RangeRequest.SortOrder.DESCEND)
            .setSortTarget(RangeRequest.SortTarget.CREATE)
            .setSerializable(true)
            .setKeysOnly(true)
            .setMinModRevision(4)
            .setMaxModRevision(5)
            .setMinCreateRevision(6)
            .setMaxCreateRevision(7)
            .build();
    io.aimstore.api.v1.RangeRequest aim = EtcdMessages.range(etcd);
    assertThat(aim.getRevision()).isZero();
    assertThat(aim.getSortOrder()).isEqualTo(io.aimstore.api.v1.RangeRequest.SortOrder.DESCEND);
    assertThat(aim.getSortTarget()).isEqualTo(io.aimstore.api.v1.RangeRequest.SortTarget.CREATE);
    // the rest is the same message, field for field
    assertThat(aim.toBuilder().setRevision(-1).build().toByteString())
        .isEqualTo(etcd.toByteString());
  }

  @Test
  void txnComparesAndOpsTranslateAndNestedTxnsAreRefused() {
    TxnRequest etcd =
        TxnRequest.newBuilder()
            .addCompare(
                Compare.newBuilder()
                    .setKey(bs("k"))
                    .setRangeEnd(bs("l"))
                    .setTarget(Compare.CompareTarget.MOD)
                    .setResult(Compare.CompareResult.LESS)
                    .setModRevision(9))
            .addSuccess(
                RequestOp.newBuilder()
                    .setRequestPut(
                        io.aimstore.etcd.api.PutRequest.newBuilder()
                            .setKey(bs("k"))
                            .setValue(bs("v"))
                            .setLease(3)))
            .addFailure(
                RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs("k"))))
            .build();
    io.aimstore.api.v1.TxnRequest aim = EtcdMessages.txn(etcd);
    assertThat(aim.toByteString()).isEqualTo(etcd.toByteString());

    TxnRequest nested =
        TxnRequest.newBuilder()
            .addSuccess(RequestOp.newBuilder().setRequestTxn(TxnRequest.getDefaultInstance()))
            .build();
    assertThatThrownBy(() -> EtcdMessages.txn(nested))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("nested transactions");
  }

  @Test
  void keyValuesLeaveOutTheFencingToken() {
    KeyValue aim =
        KeyValue.newBuilder()
            .setKey(bs("k"))
            .setValue(bs("v"))
            .setCreateRevision(2)
            .setModRevision(3)
            .setVersion(2)
            .setLease(5)
            .setFenceToken(8)
            .build();
    assertThat(EtcdMessages.kv(aim).toByteString())
        .isEqualTo(aim.toBuilder().clearFenceToken().build().toByteString());
  }

  @Test
  void watchCreateGetsTheIdChosenByTheAdapter() {
    io.aimstore.api.v1.WatchCreateRequest aim =
        EtcdWatchService.create(
            WatchCreateRequest.newBuilder()
                .setKey(bs("a"))
                .setRangeEnd(bs("b"))
                .setStartRevision(4)
                .setPrevKv(true)
                .setProgressNotify(true)
                .addFilters(WatchCreateRequest.FilterType.NODELETE)
                .setFragment(true)
                .build(),
            7);
    assertThat(aim.getWatchId()).isEqualTo(7);
    assertThat(aim.getFiltersList())
        .containsExactly(io.aimstore.api.v1.WatchCreateRequest.FilterType.NODELETE);
    assertThat(aim.getStartRevision()).isEqualTo(4);
    assertThat(aim.getPrevKv()).isTrue();
  }

  private static io.aimstore.api.v1.WatchResponse events(int n, int valueBytes) {
    io.aimstore.api.v1.WatchResponse.Builder r =
        io.aimstore.api.v1.WatchResponse.newBuilder()
            .setHeader(ResponseHeader.newBuilder().setRevision(10))
            .setWatchId(2);
    for (int i = 0; i < n; i++) {
      r.addEvents(
          io.aimstore.api.v1.Event.newBuilder()
              .setKv(
                  KeyValue.newBuilder()
                      .setKey(bs("k" + i))
                      .setValue(ByteString.copyFrom(new byte[valueBytes]))
                      .setModRevision(10)));
    }
    return r.build();
  }

  @Test
  void aLargeRevisionIsFragmentedOnlyWhenTheWatchAsked() {
    io.aimstore.api.v1.WatchResponse big = events(5, 400);
    assertThat(EtcdWatchService.translate(big, 0)).hasSize(1);
    List<WatchResponse> parts = EtcdWatchService.translate(big, 1000);
    assertThat(parts).hasSize(3);
    assertThat(parts).extracting(WatchResponse::getFragment).containsExactly(true, true, false);
    assertThat(parts.stream().mapToInt(WatchResponse::getEventsCount).sum()).isEqualTo(5);
    assertThat(parts).allSatisfy(p -> assertThat(p.getHeader().getRevision()).isEqualTo(10));
    assertThat(parts).allSatisfy(p -> assertThat(p.getWatchId()).isEqualTo(2));
    assertThat(parts.get(0).getEvents(0).getType()).isEqualTo(Event.EventType.PUT);
  }

  @Test
  void aCompactedStartIsEtcdsCompactionCancelAndProgressIsAnEmptyResponse() {
    WatchResponse compacted =
        EtcdWatchService.translate(
                io.aimstore.api.v1.WatchResponse.newBuilder()
                    .setWatchId(3)
                    .setCanceled(true)
                    .setCompactRevision(12)
                    .setCancelReason("revision 4 has been compacted (compact revision 12)")
                    .build(),
                0)
            .get(0);
    assertThat(compacted.getCanceled()).isTrue();
    assertThat(compacted.getCompactRevision()).isEqualTo(12);
    assertThat(compacted.getCancelReason())
        .isEqualTo("etcdserver: mvcc: required revision has been compacted");

    WatchResponse progress =
        EtcdWatchService.translate(
                io.aimstore.api.v1.WatchResponse.newBuilder()
                    .setWatchId(3)
                    .setProgress(true)
                    .setHeader(ResponseHeader.newBuilder().setRevision(20))
                    .build(),
                0)
            .get(0);
    assertThat(progress.getEventsCount()).isZero();
    assertThat(progress.getCreated() || progress.getCanceled()).isFalse();
    assertThat(progress.getHeader().getRevision()).isEqualTo(20);
  }
}
