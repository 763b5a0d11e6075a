package io.aimstore.ops.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.aimstore.api.v1.AimConfig;
import io.aimstore.api.v1.ConfigPutRequest;
import io.aimstore.api.v1.ConfigPutResponse;
import io.aimstore.api.v1.ConfigVersion;
import io.aimstore.ops.Aimctl.UsageError;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "config",
    description = {
      "Aim configs: typed, validated documents under /aim/FLEET/configs/NAME.",
      "Files are AimConfig in JSON (fields in docs/api.md; an example in docs/examples/aim.json)."
    },
    subcommands = {
      ConfigCommand.Put.class,
      ConfigCommand.Get.class,
      ConfigCommand.Validate.class,
      ConfigCommand.History.class
    })
public final class ConfigCommand {

  /** FLEET and NAME: which config (under /aim/FLEET/configs/NAME). */
  static final class ConfigName {
    @Parameters(index = "0", paramLabel = "FLEET")
    String fleet;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;
  }

  /** -f/--file: a config in a file, AimConfig in JSON. */
  static final class ConfigFile {
    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "FILE",
        description = "The config, AimConfig in JSON.")
    Path file;

    /** Reads the AimConfig from its JSON form (field names snake_case or lowerCamelCase). */
    AimConfig read() {
      try {
        AimConfig.Builder b = AimConfig.newBuilder();
        JsonFormat.parser().merge(Files.readString(file, StandardCharsets.UTF_8), b);
        return b.build();
      } catch (NoSuchFileException e) {
        throw new UsageError("no such file: " + file);
      } catch (InvalidProtocolBufferException e) {
        throw new UsageError(file + " is not an AimConfig in JSON: " + e.getMessage());
      } catch (IOException e) {
        throw new UsageError("cannot read " + file + ": " + e.getMessage());
      }
    }
  }

  @Command(
      name = "put",
      description = {
        "Write config NAME of FLEET from --file; refused, listing every broken rule, if invalid.",
        "Prints the new version. Example: aimctl config put fleet-1 aim --file"
            + " docs/examples/aim.json"
      })
  public static final class Put extends WriteCommand {

    @Override
    public String howToCheck() {
      return "aimctl config history " + config.fleet + " " + config.name;
    }

    @Mixin ConfigName config;

    @Mixin ConfigFile source;

    @Option(
        names = "--fence",
        paramLabel = "LOCK=TOKEN",
        description = "Write only while TOKEN holds LOCK.")
    String fence;

    @Override
    public Integer call() {
      ConfigPutRequest.Builder r =
          ConfigPutRequest.newBuilder()
              .setFleet(config.fleet)
              .setName(config.name)
              .setConfig(source.read());
      if (fence != null) {
        r.setFence(PutCommand.parseFence(fence));
      }
      ConfigPutResponse resp = await(client().fleet().putConfig(r.build()));
      JsonObject o = Json.proto(resp);
      o.addProperty("fleet", config.fleet);
      o.addProperty("name", config.name);
      return show(
          o,
          () ->
              out()
                  .println(
                      "config "
                          + config.name
                          + " of "
                          + config.fleet
                          + " is now v"
                          + resp.getVersion()));
    }
  }

  @Command(
      name = "get",
      description = {
        "Print config NAME of FLEET (latest, or --version V) as an AimConfig JSON document.",
        "The document can be edited and written back with 'config put'. With -o json: the"
            + " version record (version, fence_token, config)."
      })
  public static final class Get extends CommandBase {
    @Mixin ConfigName config;

    @Option(names = "--version", description = "A past version (a revision from 'config history').")
    long version;

    @Override
    public Integer call() {
      ConfigVersion v =
          await(client().fleet().getConfig(config.fleet, config.name, version)).getConfig();
      return show(v, () -> print(v));
    }

    private void print(ConfigVersion v) {
      err()
          .println(
              "# "
                  + config.fleet
                  + "/"
                  + config.name
                  + " v"
                  + v.getVersion()
                  + (v.getFenceToken() == 0 ? "" : " (fence token " + v.getFenceToken() + ")"));
      print(Json.proto(v.getConfig()));
    }
  }

  @Command(
      name = "validate",
      description = {
        "Check a config file against the rules without writing it.",
        "Lists every broken rule and exits 1 if there is any."
      })
  public static final class Validate extends CommandBase {
    @Mixin ConfigFile source;

    @Override
    public Integer call() {
      List<String> v = await(client().fleet().validate(source.read())).getViolationsList();
      if (json()) {
        JsonObject o = new JsonObject();
        o.addProperty("valid", v.isEmpty());
        JsonArray a = new JsonArray();
        v.forEach(a::add);
        o.add("violations", a);
        print(o);
      } else if (v.isEmpty()) {
        out().println(source.file + ": valid");
      } else {
        out().println(source.file + ": " + v.size() + " rule(s) broken:");
        v.forEach(s -> out().println("  - " + s));
      }
      return v.isEmpty() ? 0 : 1;
    }
  }

  @Command(
      name = "history",
      description = "List every retained version of config NAME of FLEET, newest first.")
  public static final class History extends CommandBase {
    @Mixin ConfigName config;

    @Override
    public Integer call() {
      List<ConfigVersion> versions =
          await(client().fleet().history(config.fleet, config.name)).getVersionsList();
      Table t =
          new Table(
              "VERSION", "SENSITIVITY", "ALTITUDE M", "MAX SPEED", "BATTERY %", "DESCRIPTION");
      for (ConfigVersion v : versions) {
        AimConfig c = v.getConfig();
        t.row(
            v.getVersion(),
            c.getSensitivity(),
            c.getSafety().getMinAltitudeM() + "-" + c.getSafety().getMaxAltitudeM(),
            c.getSafety().getMaxSpeedMps(),
            c.getSafety().getMinBatteryPct(),
            c.getDescription());
      }
      return show(Json.list("versions", versions), () -> print(t));
    }
  }
}
