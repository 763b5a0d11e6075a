package io.aimstore.client;

import io.aimstore.api.v1.AuthChangeResponse;
import io.aimstore.api.v1.Binding;
import io.aimstore.api.v1.BindingListResponse;
import io.aimstore.api.v1.Role;
import io.aimstore.api.v1.RoleListResponse;
import io.aimstore.api.v1.WhoAmIResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Who may do what (see docs/security.md): roles grant permissions on key prefixes, bindings give
 * roles to identities, blocks take everything from one. Every change goes through the log, takes an
 * admin and a reason, and writes an audit record naming the admin's verified identity. Every method
 * returns at once; the future completes on a client thread and fails with {@link AimStoreException}
 * (PERMISSION_DENIED for a non-admin; INVALID_ARGUMENT, NOT_FOUND or FAILED_PRECONDITION for a
 * change the store refuses, e.g. of a built-in). Changes are retried only when they certainly did
 * not apply. Thread-safe.
 */
public interface Auth {
  /** Creates or replaces a role. */
  CompletableFuture<AuthChangeResponse> putRole(Role role, String reason);

  /** Deletes a role no binding names. */
  CompletableFuture<AuthChangeResponse> deleteRole(String name, String reason);

  /** Every role, built-in and stored (admins only). */
  CompletableFuture<RoleListResponse> roles();

  /** Creates or replaces a binding. */
  CompletableFuture<AuthChangeResponse> putBinding(Binding binding, String reason);

  /** Deletes a binding. */
  CompletableFuture<AuthChangeResponse> deleteBinding(String name, String reason);

  /** Every binding, built-in and stored, and the blocked identities (admins only). */
  CompletableFuture<BindingListResponse> bindings();

  /** Denies {@code identity} everything until {@link #unblock}. */
  CompletableFuture<AuthChangeResponse> block(String identity, String reason);

  /** Lifts a block. */
  CompletableFuture<AuthChangeResponse> unblock(String identity, String reason);

  /** This client's verified identity, its roles and grants. */
  CompletableFuture<WhoAmIResponse> whoAmI();
}
