package io.aimstore.ops.cli;

import com.google.gson.JsonElement;
import io.aimstore.client.AimStoreClient;
import io.aimstore.ops.Aimctl;
import io.aimstore.ops.output.Format;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every aimctl command shares: the client, the output format, the output stream. */
public abstract class CommandBase implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  protected Aimctl root() {
    return (Aimctl) spec.root().userObject();
  }

  public AimStoreClient client() {
    return root().client();
  }

  public boolean json() {
    return root().format() == Format.JSON;
  }

  public PrintStream out() {
    return root().out();
  }

  protected <T> T await(CompletableFuture<T> f) {
    return AimStoreClient.await(f);
  }

  public void print(Table table) {
    table.print(out());
  }

  protected void print(JsonElement json) {
    out().println(Json.pretty(json));
  }
}
