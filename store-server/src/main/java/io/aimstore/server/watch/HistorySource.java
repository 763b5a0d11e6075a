package io.aimstore.server.watch;

import com.google.protobuf.ByteString;
import io.aimstore.server.core.Store;

/** The change history a watcher catches up from ({@link Store#history}). */
@FunctionalInterface
public interface HistorySource {
  Store.History read(long fromRevision, ByteString key, ByteString rangeEnd, int maxEvents);
}
