package io.aimstore.server.api;

import io.aimstore.api.v1.CompactionRequest;
import io.aimstore.api.v1.CompactionResponse;
import io.aimstore.api.v1.DeleteRangeRequest;
import io.aimstore.api.v1.DeleteRangeResponse;
import io.aimstore.api.v1.KVGrpc;
import io.aimstore.api.v1.Permission;
import io.aimstore.api.v1.PutRequest;
import io.aimstore.api.v1.PutResponse;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.api.v1.TxnRequest;
import io.aimstore.api.v1.TxnResponse;
import io.aimstore.internal.Command;
import io.aimstore.server.core.RequestValidator;
import io.aimstore.server.core.Store;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The KV API: validate, then propose (writes) or read after a ReadIndex barrier (linearizable
 * reads) or straight from local state (serializable reads).
 */
public final class KvService extends KVGrpc.KVImplBase {
  private final Writes writes;
  private final RequestValidator validator;
  private final Headers headers;
  private final Reads reads;

  public KvService(Writes writes, RequestValidator validator, Headers headers, Reads reads) {
    this.writes = writes;
    this.validator = validator;
    this.headers = headers;
    this.reads = reads;
  }

  @Override
  public void range(RangeRequest req, StreamObserver<RangeResponse> obs) {
    Replies.run(
        () -> {
          validator.checkRange(req);
          String identity = Caller.identity();
          // checked with the roles in force where the read happens: after a linearizable read's
          // barrier, a block, grant or revocation applied before the read holds for it
          return read(
              req,
              s ->
                  s.policy()
                      .accessOf(identity)
                      .require(Permission.READ, req.getKey(), req.getRangeEnd()));
        },
        obs);
  }

  /** A range read, linearizable unless the request opts out; the caller checked permissions. */
  CompletableFuture<RangeResponse> read(RangeRequest req) {
    return read(req, s -> {});
  }

  private CompletableFuture<RangeResponse> read(RangeRequest req, Consumer<Store> check) {
    Function<Store, RangeResponse> range =
        s -> {
          check.accept(s);
          return s.range(req);
        };
    CompletableFuture<RangeResponse> r =
        req.getSerializable() ? reads.serializable(range) : reads.linearizable(range);
    return r.thenApply(
        resp -> resp.toBuilder().setHeader(headers.complete(resp.getHeader())).build());
  }

  @Override
  public void put(PutRequest req, StreamObserver<PutResponse> obs) {
    Replies.run(
        () -> {
          validator.checkPut(req);
          return writes
              .submit(Command.newBuilder().setPut(req))
              .thenApply(
                  r ->
                      r.getPut().toBuilder()
                          .setHeader(headers.complete(r.getPut().getHeader()))
                          .build());
        },
        obs);
  }

  @Override
  public void deleteRange(DeleteRangeRequest req, StreamObserver<DeleteRangeResponse> obs) {
    Replies.run(
        () -> {
          validator.checkDeleteRange(req);
          return writes
              .submit(Command.newBuilder().setDeleteRange(req))
              .thenApply(
                  r ->
                      r.getDeleteRange().toBuilder()
                          .setHeader(headers.complete(r.getDeleteRange().getHeader()))
                          .build());
        },
        obs);
  }

  @Override
  public void txn(TxnRequest req, StreamObserver<TxnResponse> obs) {
    Replies.run(
        () -> {
          validator.checkTxn(req);
          return writes
              .submit(Command.newBuilder().setTxn(req))
              .thenApply(
                  r ->
                      r.getTxn().toBuilder()
                          .setHeader(headers.complete(r.getTxn().getHeader()))
                          .build());
        },
        obs);
  }

  @Override
  public void compact(CompactionRequest req, StreamObserver<CompactionResponse> obs) {
    Replies.run(
        () -> {
          validator.checkCompaction(req.getRevision());
          return writes
              .submit(Command.newBuilder().setCompact(req))
              .thenApply(
                  r ->
                      CompactionResponse.newBuilder()
                          .setHeader(headers.complete(r.getCompact().getHeader()))
                          .build());
        },
        obs);
  }
}
