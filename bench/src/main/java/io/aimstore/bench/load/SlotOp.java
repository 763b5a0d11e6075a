package io.aimstore.bench.load;

import java.util.concurrent.CompletableFuture;

/**
 * Issues one operation. {@code slot} (0..inFlight-1) identifies the in-flight slot the operation
 * occupies; a slot is reused only after its previous operation completed, so per-slot state (a
 * compare-and-set chain's expected version) needs no further synchronization.
 */
@FunctionalInterface
public interface SlotOp {
  CompletableFuture<?> issue(int slot, long seq);
}
