package io.aimstore.cluster;

import static io.aimstore.client.AimStoreClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RequestOp;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.client.AimStoreException;
import io.aimstore.client.KV;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Bad input over real gRPC: a precise status and a message naming the limit, nothing written, and
 * every member still healthy afterwards.
 */
class BadInputIT extends SharedInProcessFixture {

  void refused(Supplier<CompletableFuture<?>> call, AimStoreException.Code code, String message) {
    long before = await(client.kv().get("anything")).getHeader().getRevision();
    assertThatThrownBy(() -> await(call.get()))
        .isInstanceOfSatisfying(AimStoreException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(message);
    assertThat(await(client.kv().get("anything")).getHeader().getRevision())
        .as("nothing written")
        .isEqualTo(before);
  }

  @Test
  void keysValuesAndTxnsOverTheLimitsAreRefusedNamingTheLimit() {
    refused(
        () -> client.kv().put(PutRequest.newBuilder().setValue(KV.utf8("v")).build()),
        AimStoreException.Code.INVALID_ARGUMENT,
        "key is empty");
    refused(
        () -> client.kv().put("k".repeat(4097), "v"),
        AimStoreException.Code.INVALID_ARGUMENT,
        "the limit is 4096 bytes");
    refused(
        () ->
            client
                .kv()
                .put(
                    PutRequest.newBuilder()
                        .setKey(KV.utf8("big"))
                        .setValue(ByteString.copyFrom(new byte[1536 * 1024]))
                        .build()),
        AimStoreException.Code.INVALID_ARGUMENT,
        "the limit is 1048576 bytes");
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (int i = 0; i < 129; i++) {
      txn.addSuccess(
          RequestOp.newBuilder()
              .setRequestPut(
                  PutRequest.newBuilder().setKey(KV.utf8("t" + i)).setValue(KV.utf8("v"))));
    }
    refused(
        () -> client.kv().txn(txn.build()),
        AimStoreException.Code.INVALID_ARGUMENT,
        "the limit is 128");
    refused(
        () -> client.kv().put("/_aimstore/locks/x/1", "v"),
        AimStoreException.Code.PERMISSION_DENIED,
        "managed by the store");
  }

  @Test
  void compactedAndFutureRevisionsAreOutOfRange() {
    long r1 = await(client.kv().put("h", "1")).getHeader().getRevision();
    await(client.kv().put("h", "2"));
    long current = await(client.kv().put("h", "3")).getHeader().getRevision();
    await(client.kv().compact(current - 1));
    refused(
        () ->
            client.kv().get(RangeRequest.newBuilder().setKey(KV.utf8("h")).setRevision(r1).build()),
        AimStoreException.Code.OUT_OF_RANGE,
        "compact revision " + (current - 1));
    refused(
        () ->
            client
                .kv()
                .get(
                    RangeRequest.newBuilder()
                        .setKey(KV.utf8("h"))
                        .setRevision(current + 1000)
                        .build()),
        AimStoreException.Code.OUT_OF_RANGE,
        "future revision");
    refused(
        () -> client.kv().compact(r1),
        AimStoreException.Code.OUT_OF_RANGE,
        "already been compacted");
  }

  @Test
  void anUnknownMemberIsNotFoundNamingTheMembers() {
    refused(
        () -> client.cluster().status("n9"),
        AimStoreException.Code.NOT_FOUND,
        "members are n1, n2, n3");
  }

  @Test
  void everyMemberStaysHealthyAndReady() throws Exception {
    keysValuesAndTxnsOverTheLimitsAreRefusedNamingTheLimit();
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 1; i <= 3; i++) {
      String metrics = cluster.node(i).config().self().metrics();
      for (String path : new String[] {"/healthz", "/readyz"}) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://" + metrics + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("n" + i + path + ": " + r.body()).isEqualTo(200);
      }
    }
    assertThat(await(client.kv().put("after", "ok")).getHeader().getRevision()).isPositive();
  }
}
