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
import io.aimstore.internal.CommandResult;
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
  private final Calls calls;

  public KvService(Calls calls) {
    this.calls = calls;
  }

  @Override
  public void range(RangeRequest req, StreamObserver<RangeResponse> obs) {
    Replies.run(
        () -> {
          calls.validator().checkRange(req);
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
    Reads reads = calls.reads();
    CompletableFuture<RangeResponse> r =
        req.getSerializable() ? reads.serializable(range) : reads.linearizable(range);
    return r.thenApply(calls.headers()::completeHeaderOf);
  }

  @Override
  public void put(PutRequest req, StreamObserver<PutResponse> obs) {
    calls.propose(
        obs,
        () -> calls.validator().checkPut(req),
        Command.newBuilder().setPut(req),
        CommandResult::getPut);
  }

  @Override
  public void deleteRange(DeleteRangeRequest req, StreamObserver<DeleteRangeResponse> obs) {
    calls.propose(
        obs,
        () -> calls.validator().checkDeleteRange(req),
        Command.newBuilder().setDeleteRange(req),
        CommandResult::getDeleteRange);
  }

  @Override
  public void txn(TxnRequest req, StreamObserver<TxnResponse> obs) {
    calls.propose(
        obs,
        () -> calls.validator().checkTxn(req),
        Command.newBuilder().setTxn(req),
        CommandResult::getTxn);
  }

  @Override
  public void compact(CompactionRequest req, StreamObserver<CompactionResponse> obs) {
    calls.propose(
        obs,
        () -> calls.validator().checkCompaction(req.getRevision()),
        Command.newBuilder().setCompact(req),
        CommandResult::getCompact);
  }
}
