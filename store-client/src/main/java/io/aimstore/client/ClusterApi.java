package io.aimstore.client;

import io.aimstore.api.v1.MemberListResponse;
import io.aimstore.api.v1.StatusResponse;
import java.util.concurrent.CompletableFuture;

/** Cluster status and membership. */
public interface ClusterApi {

  /** Status of the member answering ({@code member} empty) or of the named member. */
  CompletableFuture<StatusResponse> status(String member);

  CompletableFuture<MemberListResponse> members();
}
