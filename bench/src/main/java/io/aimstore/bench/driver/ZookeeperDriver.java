package io.aimstore.bench.driver;

import io.aimstore.bench.SystemKind;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * ZooKeeper through its own client: one session, one TCP connection to one member (writes are
 * forwarded to the leader by that member), asynchronous calls answered in order.
 */
public final class ZookeeperDriver implements Driver {
  private final ZooKeeper zk;

  /**
   * @param connectString {@code host:port,host:port,...}
   */
  public ZookeeperDriver(String connectString, Duration connectTimeout) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    this.zk =
        new ZooKeeper(
            connectString,
            30_000,
            event -> {
              if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
            });
    if (!connected.await(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      zk.close();
      throw new IllegalStateException("no ZooKeeper session within " + connectTimeout);
    }
  }

  @Override
  public SystemKind system() {
    return SystemKind.ZOOKEEPER;
  }

  @Override
  public void prepare(String namespace) throws Exception {
    try {
      zk.create(namespace, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    } catch (KeeperException.NodeExistsException e) {
      // already there
    }
  }

  @Override
  public CompletableFuture<Long> put(String key, byte[] value) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    setOrCreate(key, value, f, 3);
    return f;
  }

  private void setOrCreate(String key, byte[] value, CompletableFuture<Long> f, int triesLeft) {
    zk.setData(
        key,
        value,
        -1,
        (rc, path, ctx, stat) -> {
          KeeperException.Code code = KeeperException.Code.get(rc);
          if (code == KeeperException.Code.OK) {
            f.complete((long) stat.getVersion());
          } else if (code == KeeperException.Code.NONODE && triesLeft > 0) {
            zk.create(
                key,
                value,
                ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT,
                (AsyncCallback.StringCallback)
                    (rc2, path2, ctx2, name) -> {
                      KeeperException.Code code2 = KeeperException.Code.get(rc2);
                      if (code2 == KeeperException.Code.OK) {
                        f.complete(0L);
                      } else if (code2 == KeeperException.Code.NODEEXISTS) {
                        setOrCreate(key, value, f, triesLeft - 1);
                      } else {
                        f.completeExceptionally(KeeperException.create(code2, path2));
                      }
                    },
                null);
          } else {
            f.completeExceptionally(KeeperException.create(code, path));
          }
        },
        null);
  }

  @Override
  public CompletableFuture<Versioned> get(String key, ReadConsistency consistency) {
    CompletableFuture<Versioned> f = new CompletableFuture<>();
    if (consistency == ReadConsistency.LINEARIZABLE) {
      // Requests of one session are answered in order, so the read below is served after the sync
      // has brought this member up to the leader's commit point: one pipelined round trip pair.
      zk.sync(
          key,
          (rc, path, ctx) -> {
            if (rc != KeeperException.Code.OK.intValue()) {
              f.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), path));
            }
          },
          null);
    }
    zk.getData(
        key,
        false,
        (rc, path, ctx, data, stat) -> {
          KeeperException.Code code = KeeperException.Code.get(rc);
          if (code == KeeperException.Code.OK) {
            f.complete(new Versioned(data, stat.getVersion()));
          } else if (code == KeeperException.Code.NONODE) {
            f.complete(new Versioned(null, 0));
          } else {
            f.completeExceptionally(KeeperException.create(code, path));
          }
        },
        null);
    return f;
  }

  @Override
  public CompletableFuture<CasOutcome> cas(String key, long expectedVersion, byte[] newValue) {
    CompletableFuture<CasOutcome> f = new CompletableFuture<>();
    zk.setData(
        key,
        newValue,
        (int) expectedVersion,
        (rc, path, ctx, stat) -> {
          KeeperException.Code code = KeeperException.Code.get(rc);
          if (code == KeeperException.Code.OK) {
            f.complete(new CasOutcome(true, stat.getVersion()));
          } else if (code == KeeperException.Code.BADVERSION) {
            f.complete(CasOutcome.CONFLICT);
          } else {
            f.completeExceptionally(KeeperException.create(code, path));
          }
        },
        null);
    return f;
  }

  @Override
  public void close() {
    try {
      zk.close(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
