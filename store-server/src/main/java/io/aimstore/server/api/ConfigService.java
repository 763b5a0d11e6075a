package io.aimstore.server.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.aimstore.api.AimConfigRules;
import io.aimstore.api.v1.AimConfig;
import io.aimstore.api.v1.ConfigGetRequest;
import io.aimstore.api.v1.ConfigGetResponse;
import io.aimstore.api.v1.ConfigHistoryRequest;
import io.aimstore.api.v1.ConfigHistoryResponse;
import io.aimstore.api.v1.ConfigPutRequest;
import io.aimstore.api.v1.ConfigPutResponse;
import io.aimstore.api.v1.ConfigValidateRequest;
import io.aimstore.api.v1.ConfigValidateResponse;
import io.aimstore.api.v1.ConfigVersion;
import io.aimstore.api.v1.ConfigsGrpc;
import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.Permission;
import io.aimstore.api.v1.RangeRequest;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.internal.Command;
import io.aimstore.internal.CommandResult;
import io.aimstore.server.core.AimKeys;
import io.aimstore.server.core.StoreException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Typed aim configs: validated before they reach the log (every broken rule is listed), stored as
 * JSON under {@code /aim/<fleet>/configs/<name>}; versions are the revisions that wrote them.
 */
public final class ConfigService extends ConfigsGrpc.ConfigsImplBase {
  private static final JsonFormat.Parser PARSE = JsonFormat.parser().ignoringUnknownFields();
  private static final int MAX_HISTORY = 1000;

  private final Calls calls;
  private final KvService kv;

  public ConfigService(Calls calls, KvService kv) {
    this.calls = calls;
    this.kv = kv;
  }

  private void requireRead(String fleet, String name) {
    calls.guard().require(Permission.READ, AimKeys.config(fleet, name), ByteString.EMPTY);
  }

  @Override
  public void put(ConfigPutRequest req, StreamObserver<ConfigPutResponse> obs) {
    calls.propose(
        obs,
        () -> {
          List<String> violations = AimConfigRules.violations(req.getConfig());
          if (!violations.isEmpty()) {
            throw StoreException.invalid("invalid aim config: " + String.join("; ", violations));
          }
        },
        Command.newBuilder().setConfigPut(req),
        CommandResult::getConfigPut);
  }

  @Override
  public void validate(ConfigValidateRequest req, StreamObserver<ConfigValidateResponse> obs) {
    obs.onNext(
        ConfigValidateResponse.newBuilder()
            .addAllViolations(AimConfigRules.violations(req.getConfig()))
            .build());
    obs.onCompleted();
  }

  @Override
  public void get(ConfigGetRequest req, StreamObserver<ConfigGetResponse> obs) {
    Replies.run(
        () -> {
          requireRead(req.getFleet(), req.getName());
          return read(req.getFleet(), req.getName(), req.getVersion())
              .thenApply(
                  r -> {
                    if (r.getKvsCount() == 0
                        || (req.getVersion() != 0
                            && r.getKvs(0).getModRevision() != req.getVersion())) {
                      throw StoreException.notFound(
                          "config "
                              + req.getName()
                              + (req.getVersion() == 0 ? "" : " v" + req.getVersion())
                              + " not found in fleet "
                              + req.getFleet());
                    }
                    return ConfigGetResponse.newBuilder()
                        .setHeader(calls.headers().complete(r.getHeader()))
                        .setConfig(version(r.getKvs(0)))
                        .build();
                  });
        },
        obs);
  }

  @Override
  public void history(ConfigHistoryRequest req, StreamObserver<ConfigHistoryResponse> obs) {
    Replies.run(
        () -> {
          requireRead(req.getFleet(), req.getName());
          return read(req.getFleet(), req.getName(), 0)
              .thenCompose(
                  first -> {
                    ConfigHistoryResponse.Builder b =
                        ConfigHistoryResponse.newBuilder()
                            .setHeader(calls.headers().complete(first.getHeader()));
                    if (first.getKvsCount() == 0) {
                      throw StoreException.notFound(
                          "config " + req.getName() + " not found in fleet " + req.getFleet());
                    }
                    return older(req, first.getKvs(0), b);
                  });
        },
        obs);
  }

  /** Walks back version by version: each older version is the key as of one revision earlier. */
  private CompletableFuture<ConfigHistoryResponse> older(
      ConfigHistoryRequest req, KeyValue kv, ConfigHistoryResponse.Builder b) {
    b.addVersions(version(kv));
    if (kv.getModRevision() <= kv.getCreateRevision() || b.getVersionsCount() >= MAX_HISTORY) {
      return CompletableFuture.completedFuture(b.build());
    }
    return read(req.getFleet(), req.getName(), kv.getModRevision() - 1)
        .handle(
            (r, err) -> {
              if (err != null || r.getKvsCount() == 0) {
                return CompletableFuture.completedFuture(b.build()); // compacted or deleted before
              }
              return older(req, r.getKvs(0), b);
            })
        .thenCompose(f -> f);
  }

  private CompletableFuture<RangeResponse> read(String fleet, String name, long revision) {
    return kv.read(
        RangeRequest.newBuilder()
            .setKey(AimKeys.config(fleet, name))
            .setRevision(revision)
            .build());
  }

  static ConfigVersion version(KeyValue kv) {
    AimConfig.Builder c = AimConfig.newBuilder();
    try {
      PARSE.merge(kv.getValue().toStringUtf8(), c);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt config at revision " + kv.getModRevision(), e);
    }
    return ConfigVersion.newBuilder()
        .setVersion(kv.getModRevision())
        .setConfig(c)
        .setFenceToken(kv.getFenceToken())
        .build();
  }
}
