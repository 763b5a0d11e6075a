package io.aimstore.server.raft;

import io.aimstore.server.core.ApplyResult;
import io.aimstore.server.core.Store;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Futures that complete once this member has applied a given log index: a write proposed through
 * another member becomes visible locally only then.
 */
final class AppliedIndexWaiters implements ApplyListener {
  private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> waiting =
      new ConcurrentSkipListMap<>();
  private final AtomicLong applied = new AtomicLong();

  AppliedIndexWaiters(long appliedIndex) {
    applied.set(appliedIndex);
  }

  CompletableFuture<Void> waitFor(long index) {
    if (applied.get() >= index) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> f = waiting.computeIfAbsent(index, i -> new CompletableFuture<>());
    if (applied.get() >= index) {
      release(applied.get());
    }
    return f;
  }

  void advance(long index) {
    applied.accumulateAndGet(index, Math::max);
    release(index);
  }

  private void release(long upTo) {
    Map<Long, CompletableFuture<Void>> done = waiting.headMap(upTo, true);
    for (Map.Entry<Long, CompletableFuture<Void>> e : done.entrySet()) {
      if (waiting.remove(e.getKey(), e.getValue())) {
        e.getValue().complete(null);
      }
    }
  }

  @Override
  public void onApplied(long index, ApplyResult result) {
    advance(index);
  }

  @Override
  public void onReset(Store store) {
    advance(store.appliedIndex());
  }
}
